package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.kit.http.limits.FromAddress;
import dev.swarmcdn.kit.http.limits.RateLimit;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The per-client request rate limit of the edge, from two client addresses at once. */
class EdgeRateLimitTest {

  private static final String HOP = "X-Swarmcdn-Hop: edge-2";

  private static double limited(int port) throws Exception {
    String metrics = FromAddress.get("127.0.0.1", port, "/metrics").body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("http_server_rate_limited_requests_total{server=\"edge\"}")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void aClientOverTheLimitGets429WhileAnotherAddressAndTheOpsEndpointsAreServed() throws Exception {
    Assumptions.assumeTrue(FromAddress.canBind("127.0.0.2"), "needs 127.0.0.2 as a client address");
    try (TestOrigin origin = new TestOrigin()) {
      origin.put("/ok.m3u8", "#EXTM3U\n".getBytes(), 0, "Cache-Control", "max-age=60");
      // A refill of one request in 1000 s: nothing refills during the test.
      try (RunningEdge running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0)
          .rateLimit(new RateLimit(0.001, 3)).build())) {
        int port = running.server().port();
        for (int i = 0; i < 3; i++) {
          assertEquals(200, FromAddress.get("127.0.0.1", port, "/ok.m3u8").status());
        }
        double before = limited(port);
        FromAddress.Answer refused = FromAddress.get("127.0.0.1", port, "/ok.m3u8");
        assertEquals(429, refused.status());
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, refused.head());
        assertEquals("no-store", refused.header("Cache-Control"));
        // The hop header proves nothing, so it exempts nothing.
        assertEquals(429, FromAddress.get("127.0.0.1", port, "/ok.m3u8", HOP).status());
        assertEquals(before + 2, limited(port));

        assertEquals(200, FromAddress.get("127.0.0.2", port, "/ok.m3u8").status(), "another address is unaffected");
        for (String ops : new String[] {"/health", "/ready", "/metrics"}) {
          for (int i = 0; i < 5; i++) {
            assertEquals(200, FromAddress.get("127.0.0.1", port, ops).status(), ops);
          }
        }
      }
    }
  }

  private static EdgeConfig parse(String... args) throws Exception {
    EdgeCommand command = new EdgeCommand();
    new CommandLine(command).setDefaultValueProvider(new LayeredDefaults(Map.of(), new ObjectMapper().readTree("{}")))
        .parseArgs(args);
    return command.config();
  }

  @Test
  void onByDefaultOffWithZeroAndNegativeValuesRefusedByFlagName() throws Exception {
    assertEquals(new RateLimit(100, 500), parse().rateLimit());
    assertFalse(parse("--rate-limit-per-second", "0").rateLimit().enabled());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--rate-limit-per-second", "-1"))
        .getMessage().contains("--rate-limit-per-second"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--rate-limit-burst", "-5"))
        .getMessage().contains("--rate-limit-burst"));
  }
}
