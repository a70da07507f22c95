package dev.swarmcdn.protocol.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.access.AccessToken.Refusal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

  private static final byte[] SECRET = "edge-secret".getBytes(StandardCharsets.UTF_8);

  @Test
  void grantsPathsBelowItsPrefixUntilItExpires() {
    String token = new AccessToken("/live/demo/", 2_000).sign(SECRET);
    assertTrue(AccessToken.verify(token, SECRET, "/live/demo/360p/seg_1.m4s", 1_999).granted());
    assertEquals(Refusal.EXPIRED, AccessToken.verify(token, SECRET, "/live/demo/a", 2_000).refusal());
    assertEquals(Refusal.WRONG_PATH, AccessToken.verify(token, SECRET, "/live/other/a", 1_000).refusal());
  }

  @Test
  void anyChangeBreaksTheSignature() {
    String token = new AccessToken("/live/demo/", 2_000).sign(SECRET);
    String[] parts = token.split("\\.");
    String longer = "9999999999." + parts[1] + "." + parts[2];
    assertEquals(Refusal.BAD_SIGNATURE, AccessToken.verify(longer, SECRET, "/live/demo/a", 1_000).refusal());
    String wider = parts[0] + ".Lw." + parts[2]; // prefix "/"
    assertEquals(Refusal.BAD_SIGNATURE, AccessToken.verify(wider, SECRET, "/live/demo/a", 1_000).refusal());
    assertEquals(Refusal.BAD_SIGNATURE,
        AccessToken.verify(token, "other".getBytes(StandardCharsets.UTF_8), "/live/demo/a", 1_000).refusal());
  }

  @Test
  void garbageIsMalformedNotAnException() {
    for (String bad : new String[] {"x", "1.2", "a.b.c", "1.@@.c", "1..", "1.Zm9v.!!", "1.Zm9v.YQ.extra"}) {
      AccessToken.Check check = AccessToken.verify(bad, SECRET, "/live/x", 0);
      assertTrue(check.refusal() == Refusal.MALFORMED || check.refusal() == Refusal.BAD_SIGNATURE, bad);
    }
    assertEquals(Refusal.MISSING, AccessToken.verify(null, SECRET, "/", 0).refusal());
  }

  @Test
  void matchesThePublishedTestVector() {
    // docs/PROTOCOL.md, "Access tokens": other implementations (the browser, the tracker) agree on it.
    assertEquals("1893456000.L2xpdmUvZGVtby8.ED7SDMTv0BR-tKvkO2Ojih7_ViGVTzv5-niZFhJp0gE",
        new AccessToken("/live/demo/", 1_893_456_000L).sign("s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tokenIsUrlSafe() {
    String token = new AccessToken("/live/dé mo/?&", 123).sign(SECRET);
    assertTrue(token.matches("[0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), token);
  }
}
