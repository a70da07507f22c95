package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.LayeredDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options from flags, CDN_TRACKER_* and the tracker: section of the config file, in that order. */
class TrackerCommandTest {

  private static TrackerConfig parse(Map<String, String> environment, String fileJson, String... args)
      throws Exception {
    TrackerCommand command = new TrackerCommand();
    new CommandLine(command)
        .setDefaultValueProvider(new LayeredDefaults(environment, new ObjectMapper().readTree(fileJson)))
        .parseArgs(args);
    return command.config();
  }

  @Test
  void builtInDefaults() throws Exception {
    TrackerConfig config = parse(Map.of(), "{}");
    assertEquals(8090, config.port());
    assertEquals("127.0.0.1", config.host());
    assertNull(config.secret());
    assertEquals(List.of(), config.trustedProxies());
    assertEquals(20, config.maxPeersListed());
    assertEquals(Duration.ofSeconds(20), config.pingInterval());
    assertEquals(TrackerLimits.DEFAULTS, config.limits());
    assertEquals(true, config.webTorrent());
    assertEquals(Duration.ofSeconds(120), config.announceInterval());
  }

  @Test
  void webTorrentCanBeTurnedOffAndItsIntervalSet() throws Exception {
    TrackerConfig config = parse(Map.of("CDN_TRACKER_WEBTORRENT", "false"), "{}", "--announce-interval-s", "30",
        "--max-write-queue-bytes", "131072");
    assertEquals(false, config.webTorrent());
    assertEquals(Duration.ofSeconds(30), config.announceInterval());
    assertEquals(131072, config.limits().maxWriteQueueBytes());
    assertEquals(false, parse(Map.of(), "{}", "--no-webtorrent").webTorrent());
  }

  @Test
  void flagBeatsEnvironmentBeatsFile() throws Exception {
    TrackerConfig config = parse(Map.of("CDN_TRACKER_SECRET", "from-env", "CDN_TRACKER_PORT", "7000"),
        "{\"tracker\": {\"port\": 6000, \"trusted-proxy\": [\"10.0.0.0/8\", \"127.0.0.1\"], \"max-peers\": 8,"
            + " \"messages-per-second\": 2.5}}",
        "--port", "9000");
    assertEquals(9000, config.port());
    assertEquals("from-env", config.secret());
    assertEquals(List.of("10.0.0.0/8", "127.0.0.1"), config.trustedProxies());
    assertEquals(8, config.maxPeersListed());
    assertEquals(2.5, config.limits().messagesPerSecond());
  }

  @Test
  void aBadProxyBlockStopsTheStartWithItsReason() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "{}", "--trusted-proxy", "proxy.internal"));
    assertEquals("not an IP address or CIDR block: proxy.internal", refused.getMessage());
  }
}
