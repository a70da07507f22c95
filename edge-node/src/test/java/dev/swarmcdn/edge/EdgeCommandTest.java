package dev.swarmcdn.edge;

import dev.swarmcdn.edge.registration.TrackerLink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tracker options of {@code cdn edge}, from flags, CDN_EDGE_* and the edge: section of the file. */
class EdgeCommandTest {

  private static EdgeConfig parse(Map<String, String> environment, String fileJson, String... args)
      throws Exception {
    EdgeCommand command = new EdgeCommand();
    new CommandLine(command)
        .setDefaultValueProvider(new LayeredDefaults(environment, new ObjectMapper().readTree(fileJson)))
        .parseArgs(args);
    return command.config();
  }

  @Test
  void noTrackerByDefault() throws Exception {
    TrackerLink link = parse(Map.of(), "{}").tracker();
    assertFalse(link.enabled());
    assertEquals(1000, link.capacity());
    assertEquals(Duration.ofSeconds(5), link.heartbeatInterval());
  }

  @Test
  void trackerOptions() throws Exception {
    TrackerLink link = parse(Map.of("CDN_EDGE_TRACKER_SECRET", "from-env"),
        "{\"edge\": {\"tracker\": \"http://tracker.internal:8090/\", \"capacity\": 5000}}",
        "--public-url", "https://edge-1.example.net", "--heartbeat-interval-ms", "2000").tracker();
    assertEquals("http://tracker.internal:8090", link.trackerUrl());
    assertEquals("from-env", link.secret());
    assertEquals("https://edge-1.example.net", link.publicUrl());
    assertEquals(5000, link.capacity());
    assertEquals(Duration.ofSeconds(2), link.heartbeatInterval());
    assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "{}", "--tracker", "tracker:8090"));
  }

  @Test
  void originsRouteByHostAndPrefixFromTheFile() throws Exception {
    EdgeConfig config = parse(Map.of(), "{\"edge\": {\"origin\": [\"news.example.com=http://news:8080\", "
        + "\"news.example.com/vod/=http://vod:8080|http://vod-2:8080\", \"http://origin:8080\"]}}");
    assertEquals(List.of("news.example.com=http://news:8080", "news.example.com/vod/=http://vod:8080|http://vod-2:8080",
        "http://origin:8080"), config.routes());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "{}", "--origin", "news.example.com:8081=http://news:8080"));
    assertTrue(refused.getMessage().contains("[HOST][/PREFIX]=URL"), refused.getMessage());
  }

  @Test
  void perKindTtlsFollowTheOriginUnlessSet() throws Exception {
    EdgeConfig following = parse(Map.of(), "{}");
    assertEquals(null, following.playlistTtl());
    assertEquals(null, following.segmentTtl());
    EdgeConfig set = parse(Map.of("CDN_EDGE_SEGMENT_TTL", "31536000"), "{}", "--playlist-ttl", "1");
    assertEquals(Duration.ofSeconds(1), set.playlistTtl());
    assertEquals(Duration.ofDays(365), set.segmentTtl());
  }

  @Test
  void tlsFlagsFromTheCommandLineTheEnvironmentAndTheFile() throws Exception {
    EdgeConfig plain = parse(Map.of(), "{}");
    assertEquals(TlsFiles.NONE, plain.tls());
    assertEquals(null, plain.tlsCa());
    EdgeConfig tls = parse(Map.of("CDN_EDGE_TLS_KEY", "/etc/cdn/key.pem"),
        "{\"edge\": {\"tls-ca\": \"/etc/cdn/ca.pem\"}}", "--tls-cert", "/etc/cdn/cert.pem");
    assertEquals(new TlsFiles(Path.of("/etc/cdn/cert.pem"), Path.of("/etc/cdn/key.pem")), tls.tls());
    assertEquals(Path.of("/etc/cdn/ca.pem"), tls.tlsCa());
    IllegalArgumentException keyAlone = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "{}", "--tls-key", "key.pem"));
    assertEquals("--tls-key key.pem needs --tls-cert: give the certificate with its key", keyAlone.getMessage());
  }
}
