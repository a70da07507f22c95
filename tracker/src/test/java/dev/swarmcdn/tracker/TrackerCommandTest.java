package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.tracker.cluster.ClusterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Options from flags, CDN_TRACKER_* and the tracker: section of the config file, in that order. */
class TrackerCommandTest {

  /** With an edge secret in the environment unless one is given: a tracker refuses to start without. */
  private static TrackerConfig parse(Map<String, String> environment, String fileJson, String... args)
      throws Exception {
    Map<String, String> withSecret = new java.util.HashMap<>(environment);
    withSecret.putIfAbsent("CDN_TRACKER_EDGE_SECRET", "test-edge-secret");
    return command(withSecret, fileJson, args).config();
  }

  private static TrackerCommand command(Map<String, String> environment, String fileJson, String... args)
      throws Exception {
    TrackerCommand command = new TrackerCommand();
    new CommandLine(command)
        .setDefaultValueProvider(new LayeredDefaults(environment, new ObjectMapper().readTree(fileJson)))
        .parseArgs(args);
    return command;
  }

  @Test
  void clusterMembersComeFromAListThatDefaultsToThisMachine() throws Exception {
    assertEquals(new ClusterSettings("swarmcdn-tracker", "127.0.0.1", 5701, List.of("127.0.0.1")),
        command(Map.of(), "{}").clusterSettings());
    TrackerCommand clustered = command(Map.of("CDN_TRACKER_CLUSTER_MEMBERS", "10.0.0.5:5701,10.0.0.6"),
        "{\"tracker\": {\"cluster-port\": 5801}}", "--cluster", "--cluster-host", "10.0.0.4");
    assertEquals(new ClusterSettings("swarmcdn-tracker", "10.0.0.4", 5801, List.of("10.0.0.5:5701", "10.0.0.6")),
        clustered.clusterSettings());
  }

  @Test
  void aTrackerWithNeitherEdgeSecretNorOpenRegistryRefusesToStartAndSaysWhy() throws Exception {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> command(Map.of(), "{}").config());
    assertTrue(refused.getMessage().startsWith("the edge registry needs --edge-secret SECRET"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--open-registry"), refused.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> command(Map.of(), "{\"tracker\": {\"edge-secret\": \"s\"}}", "--open-registry").config());
    assertTrue(both.getMessage().startsWith("--edge-secret and --open-registry exclude each other"), both.getMessage());
    assertTrue(command(Map.of(), "{}", "--open-registry").config().routing().openRegistry());
    assertEquals("s", command(Map.of(), "{\"tracker\": {\"edge-secret\": \"s\"}}").config().routing().edgeSecret());
  }

  @Test
  void builtInDefaults() throws Exception {
    TrackerConfig config = command(Map.of(), "{}", "--open-registry").config();
    assertEquals(8090, config.port());
    assertEquals("127.0.0.1", config.host());
    assertNull(config.secret());
    assertEquals(List.of(), config.trustedProxies());
    assertEquals(20, config.maxPeersListed());
    assertEquals(Duration.ofSeconds(20), config.pingInterval());
    assertEquals(TrackerLimits.DEFAULTS, config.limits());
    assertEquals(RoutingConfig.builder().openRegistry().build(), config.routing());
    assertEquals(Duration.ofSeconds(30), config.clientTimeout());
    assertEquals(true, config.webTorrent());
    assertEquals(Duration.ofSeconds(120), config.announceInterval());
  }

  @Test
  void edgeRoutingOptions() throws Exception {
    TrackerConfig config = parse(Map.of("CDN_TRACKER_EDGE_SECRET", "from-env"),
        "{\"tracker\": {\"origin\": \"http://origin.internal:8080/\", \"edge-expiry-ms\": 6000}}",
        "--access-secret", "a", "--access-prefix", "/vod/{stream}/", "--public-url", "https://tracker.example",
        "--route-epsilon", "0.5", "--token-ttl-seconds", "600", "--max-edges", "8");
    RoutingConfig routing = config.routing();
    assertEquals("from-env", routing.edgeSecret());
    assertEquals("http://origin.internal:8080", routing.originUrl());
    assertEquals(Duration.ofSeconds(6), routing.heartbeatExpiry());
    assertEquals("a", routing.accessSecret());
    assertEquals("/vod/{stream}/", routing.accessPrefix());
    assertEquals("https://tracker.example", routing.publicUrl());
    assertEquals(0.5, routing.epsilon());
    assertEquals(Duration.ofMinutes(10), routing.tokenTtl());
    assertEquals(8, routing.maxEdges());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "{}", "--access-prefix", "/live/"));
    assertEquals("the access prefix must start with / and hold {stream}", refused.getMessage());
  }

  @Test
  void turnRelaysTakeTheirSecretFromAFlagTheEnvironmentOrAFileAndAreRefusedByNameWithout(@TempDir Path dir)
      throws Exception {
    assertEquals(TurnConfig.NONE, parse(Map.of(), "{}").routing().turn());
    TurnConfig fromEnv = parse(Map.of("CDN_TRACKER_TURN_SECRET", "from-env"), "{}",
        "--turn-url", "turn:192.0.2.2:3478?transport=udp,turns:turn.example.net:5349", "--turn-ttl-seconds", "600")
        .routing().turn();
    assertEquals(List.of("turn:192.0.2.2:3478?transport=udp", "turns:turn.example.net:5349"), fromEnv.urls());
    assertEquals("from-env", fromEnv.secret());
    assertEquals(Duration.ofMinutes(10), fromEnv.ttl());
    Path file = Files.writeString(dir.resolve("turn-secret"), "from-file\n");
    assertEquals("from-file", parse(Map.of(), "{}", "--turn-url", "turn:turn.example.net",
        "--turn-secret-file", file.toString()).routing().turn().secret());

    assertRefused("--turn-url needs --turn-secret", "--turn-url", "turn:turn.example.net");
    assertRefused("--turn-secret is given but no --turn-url", "--turn-secret", "s");
    assertRefused("--turn-url takes turn: or turns: URLs, not stun:x", "--turn-url", "stun:x", "--turn-secret", "s");
    assertRefused("give --turn-secret or --turn-secret-file, not both", "--turn-url", "turn:x", "--turn-secret", "s",
        "--turn-secret-file", file.toString());
    assertRefused("--turn-secret-file " + dir.resolve("absent") + " cannot be read", "--turn-url", "turn:x",
        "--turn-secret-file", dir.resolve("absent").toString());
    assertRefused("--turn-ttl-seconds must be 60 to 172800, not 10", "--turn-url", "turn:x", "--turn-secret", "s",
        "--turn-ttl-seconds", "10");
  }

  private static void assertRefused(String reason, String... args) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "{}", args));
    assertTrue(refused.getMessage().startsWith(reason), refused.getMessage());
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
  void theReportThresholdIsSetLikeEveryLimitAndChecked() throws Exception {
    assertEquals(2, parse(Map.of(), "{}").hideAfterReports());
    assertEquals(3, parse(Map.of(), "{\"tracker\": {\"hide-after-reports\": 3}}").hideAfterReports());
    assertEquals(4, parse(Map.of("CDN_TRACKER_HIDE_AFTER_REPORTS", "4"), "{}").hideAfterReports());
    assertEquals(1, parse(Map.of(), "{}", "--hide-after-reports", "1").hideAfterReports());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "{}", "--hide-after-reports", "0"));
    assertTrue(zero.getMessage().contains("hide-after-reports"), zero.getMessage());
  }

  @Test
  void steeringIsOneFetcherByDefaultZeroTurnsItOffAndMoreThanSixteenIsRefusedByName() throws Exception {
    assertEquals(1, parse(Map.of(), "{}").steerFetchers());
    assertEquals(3, parse(Map.of(), "{\"tracker\": {\"steer-fetchers\": 3}}").steerFetchers());
    assertEquals(0, parse(Map.of("CDN_TRACKER_STEER_FETCHERS", "0"), "{}").steerFetchers());
    assertEquals(16, parse(Map.of(), "{}", "--steer-fetchers", "16").steerFetchers());
    for (String outOfRange : new String[] {"17", "-1"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> parse(Map.of(), "{}", "--steer-fetchers", outOfRange));
      assertEquals("--steer-fetchers must be 0 (no steering) to 16, not " + outOfRange, refused.getMessage());
    }
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
