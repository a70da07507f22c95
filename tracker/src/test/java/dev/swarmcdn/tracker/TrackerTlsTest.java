package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.kit.http.tls.DevCertificates;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.http.tls.TlsProbe;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker over TLS: HTTPS for the registry, /route and ops, WSS for peers, and wss:// in what it hands out. */
class TrackerTlsTest {

  @TempDir Path dir;
  private DevCertificates.Authority ca;
  private Vertx vertx;
  private Vertx clientVertx;
  private TrackerServer tracker;
  private HttpClient http;

  @BeforeEach
  void setUp() {
    assumeTrue(DevCertificates.available(), "no openssl command (scripts/install-deps installs it)");
    ca = DevCertificates.authority(dir.resolve("ca"), "ca", "tracker test CA", 2);
    vertx = Vertx.vertx();
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (tracker != null) {
      tracker.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private TrackerServer start(TlsFiles tls) throws Exception {
    TrackerConfig config = TrackerConfig.builder().port(0)
        .routing(RoutingConfig.builder().openRegistry().build()).tls(tls).build();
    return new TrackerServer(vertx, config, Observability.create()).start()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    if (http == null) {
      // Generous bounds: a TLS handshake on a loaded two-core machine may take seconds.
      http = HttpClient.newBuilder().sslContext(TlsTrust.withCa(ca.cert()).sslContext())
          .connectTimeout(Duration.ofSeconds(20)).build();
    }
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void registryRoutesAndJoinsOverTls() throws Exception {
    DevCertificates.Issued issued = DevCertificates.issue(ca, dir.resolve("tls"), "tracker", BigInteger.valueOf(90), 2);
    tracker = start(issued.files());
    String base = tracker.baseUrl();
    assertTrue(base.startsWith("https://127.0.0.1:"), base);
    assertEquals("wss://127.0.0.1:" + tracker.port() + "/ws", tracker.webSocketUrl());
    assertEquals("wss://127.0.0.1:" + tracker.port() + "/announce", tracker.webTorrentUrl());
    assertEquals(BigInteger.valueOf(90), TlsProbe.presentedSerial(tracker.port()));
    assertEquals(200, send("GET", base + "/health", null).statusCode());

    // An https edge registers; /route hands a viewer that edge and the tracker's wss:// URL.
    assertEquals(200, send("POST", base + "/edges",
        "{\"id\": \"edge-1\", \"url\": \"https://localhost:8443\", \"capacity\": 100}").statusCode());
    JsonObject route = new JsonObject(send("GET", base + "/route?stream=demo", null).body());
    assertEquals("https://localhost:8443", route.getString("edge"));
    assertEquals(tracker.webSocketUrl(), route.getString("tracker"));

    // A peer joins over WSS, trusting the CA.
    WebSocketClient client = clientVertx.createWebSocketClient(
        TlsTrust.withCa(ca.cert()).applyTo(new WebSocketClientOptions()));
    try (TestPeer peer = TestPeer.connect(client, tracker.port(), Map.of(), true)) {
      ServerMessage.Peers peers = peer.join(new ClientMessage.Join(new SwarmId("demo", "360p"), "edge-1", 4, null, null,
          List.of(), true, false));
      assertEquals(new SwarmId("demo", "360p"), peers.swarm());
      assertEquals(List.of(), peers.peers());
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtStart() {
    DevCertificates.Issued one = DevCertificates.issue(ca, dir.resolve("tls"), "one", BigInteger.ONE, 2);
    DevCertificates.Issued two = DevCertificates.issue(ca, dir.resolve("tls"), "two", BigInteger.TWO, 2);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> start(new TlsFiles(one.cert(), two.key())));
    assertTrue(refused.getCause().getMessage().startsWith("--tls-key " + two.key() + " is not the key of the certificate"),
        refused.getCause().getMessage());
  }
}
