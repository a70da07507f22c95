package dev.swarmcdn.edge.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestRulesTest {

  @Test
  void pathsThatClimbOutAreRecognised() {
    for (String bad : new String[] {"", "live", "/..", "/../x", "/a/../b", "/a/./b", "/a/.", "/a/%2e%2e/b",
        "/a/%2E/b", "/a%2fb", "/a%2F..", "/a%5cb", "/a%00", "/a\\b", "/a\u0000b"}) {
      assertTrue(RequestRules.climbsOut(bad), bad);
    }
  }

  @Test
  void ordinaryPathsPass() {
    for (String good : new String[] {"/", "/live/demo/360p/seg_e1_00001.m4s", "/a/.hidden", "/a/b..c",
        "/a/...", "/v/%20space", "/a.m3u8", "/~t/123.abc.def/live/x"}) {
      assertFalse(RequestRules.climbsOut(good), good);
    }
  }
}
