package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.kit.http.limits.FromAddress;
import dev.swarmcdn.kit.http.limits.RateLimit;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tracker's per-client HTTP rate limit: by socket address, or by the one a trusted proxy names. */
class TrackerRateLimitTest {

  /** One request in 1000 s refills: nothing refills during a test. */
  private static final RateLimit THREE = new RateLimit(0.001, 3);
  private static final String UPGRADE_HEADERS = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13";

  private static double limited(RunningTracker tracker) {
    var counter = tracker.registry().find("http.server.rate.limited.requests").tag("server", "tracker").counter();
    return counter == null ? 0 : counter.count();
  }

  private static void assertRefused(FromAddress.Answer answer) {
    assertEquals(429, answer.status(), answer.head());
    assertTrue(Long.parseLong(answer.header("Retry-After")) >= 1, answer.head());
    assertEquals("no-store", answer.header("Cache-Control"));
    assertEquals("rate_limited", new JsonObject(answer.body()).getString("error"));
  }

  @Test
  void aClientOverTheLimitGets429AndAnotherAddressIsServed() throws Exception {
    Assumptions.assumeTrue(FromAddress.canBind("127.0.0.2"), "needs 127.0.0.2 as a client address");
    try (RunningTracker tracker = RunningTracker.start(TrackerConfig.builder().rateLimit(THREE))) {
      int port = tracker.server().port();
      for (int i = 0; i < 3; i++) {
        assertEquals(503, FromAddress.get("127.0.0.1", port, "/route?stream=s").status(), "no edge yet, not limited");
      }
      assertRefused(FromAddress.get("127.0.0.1", port, "/route?stream=s"));
      // A WebSocket connection is an HTTP request first: refused before the upgrade.
      assertRefused(FromAddress.get("127.0.0.1", port, TrackerServer.WEBSOCKET_PATH, UPGRADE_HEADERS));
      assertEquals(2, limited(tracker));
      assertEquals(503, FromAddress.get("127.0.0.2", port, "/route?stream=s").status(), "another address is unaffected");
      assertEquals(101, FromAddress.get("127.0.0.2", port, TrackerServer.WEBSOCKET_PATH, UPGRADE_HEADERS).status());
      for (String ops : new String[] {"/health", "/ready", "/metrics"}) {
        for (int i = 0; i < 5; i++) {
          assertEquals(200, FromAddress.get("127.0.0.1", port, ops).status(), ops);
        }
      }
      assertEquals(2, limited(tracker));
    }
  }

  @Test
  void behindATrustedProxyEachForwardedViewerHasItsOwnBucketAndForgingIsNoWayOut() throws Exception {
    try (RunningTracker tracker = RunningTracker.start(TrackerConfig.builder().rateLimit(THREE)
        .trustedProxies(List.of("127.0.0.1")))) {
      int port = tracker.server().port();
      for (int i = 0; i < 3; i++) {
        assertEquals(503, FromAddress.get("127.0.0.1", port, "/route?stream=s", "X-Forwarded-For: 203.0.113.5").status());
      }
      assertRefused(FromAddress.get("127.0.0.1", port, "/route?stream=s", "X-Forwarded-For: 203.0.113.5"));
      // What the viewer wrote left of the proxy's entry is its own claim: ignored.
      assertRefused(FromAddress.get("127.0.0.1", port, "/route?stream=s", "X-Forwarded-For: 198.51.100.9, 203.0.113.5"));
      assertEquals(503, FromAddress.get("127.0.0.1", port, "/route?stream=s", "X-Forwarded-For: 203.0.113.6").status());
      assertEquals(2, limited(tracker));
    }
  }

  private static TrackerConfig parse(String... args) throws Exception {
    TrackerCommand command = new TrackerCommand();
    new CommandLine(command).setDefaultValueProvider(new LayeredDefaults(
        Map.of("CDN_TRACKER_EDGE_SECRET", "s"), new ObjectMapper().readTree("{}"))).parseArgs(args);
    return command.config();
  }

  @Test
  void onByDefaultOffWithZeroAndNegativeValuesRefusedByFlagName() throws Exception {
    assertEquals(new RateLimit(20, 200), parse().rateLimit());
    assertFalse(parse("--rate-limit-per-second", "0").rateLimit().enabled());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--rate-limit-per-second", "-1"))
        .getMessage().contains("--rate-limit-per-second"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--rate-limit-burst", "-1"))
        .getMessage().contains("--rate-limit-burst"));
  }
}
