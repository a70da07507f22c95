package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.kit.http.tls.DevCertificates;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.http.tls.TlsProbe;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge over TLS: it serves HTTPS with --tls-cert and --tls-key, fills from an HTTPS origin whose
 * certificate the CA of --tls-ca signed, forwards to an HTTPS owner edge, and refuses what it
 * cannot trust.
 */
class EdgeTlsTest {

  @TempDir Path dir;
  private DevCertificates.Authority ca;
  private DevCertificates.Issued originCert;
  private DevCertificates.Issued edgeCert;
  private Vertx originVertx;
  private OriginServer origin;
  private final List<Vertx> edgeVertx = new java.util.ArrayList<>();
  private final List<EdgeServer> edges = new java.util.ArrayList<>();
  private byte[] segment;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(DevCertificates.available(), "no openssl command (scripts/install-deps installs it)");
    ca = DevCertificates.authority(dir.resolve("ca"), "ca", "edge test CA", 2);
    originCert = DevCertificates.issue(ca, dir.resolve("tls"), "origin", BigInteger.valueOf(1), 2);
    edgeCert = DevCertificates.issue(ca, dir.resolve("tls"), "edge", BigInteger.valueOf(2), 2);
    Path clip = Files.createDirectories(dir.resolve("media").resolve("clip"));
    Files.writeString(clip.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg0.ts\n#EXT-X-ENDLIST\n");
    segment = new byte[200_000];
    new java.util.Random(7).nextBytes(segment);
    Files.write(clip.resolve("seg0.ts"), segment);
    originVertx = Vertx.vertx();
    origin = new OriginServer(originVertx, OriginConfig.defaults().withDirectories(dir.resolve("media"), dir.resolve("data"))
        .withPort(0).withTls(originCert.files()), Observability.create(), null)
        .start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = edges.size() - 1; i >= 0; i--) {
      edges.get(i).stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    for (Vertx vertx : edgeVertx) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (origin != null) {
      origin.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      originVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private EdgeServer startEdge(EdgeConfig.Builder config) throws Exception {
    Vertx vertx = Vertx.vertx();
    edgeVertx.add(vertx);
    EdgeServer edge = new EdgeServer(vertx, config.port(0).build(), Observability.create(), null)
        .start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    edges.add(edge);
    return edge;
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    if (http == null) {
      // Generous bounds: a TLS handshake on a loaded two-core machine may take seconds.
      http = HttpClient.newBuilder().sslContext(TlsTrust.withCa(ca.cert()).sslContext())
          .connectTimeout(Duration.ofSeconds(20)).build();
    }
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void fillsFromAnHttpsOriginAndServesHttps() throws Exception {
    assertTrue(origin.baseUrl().startsWith("https://"), origin.baseUrl());
    EdgeServer edge = startEdge(EdgeConfig.builder(origin.baseUrl()).tls(edgeCert.files()).tlsCa(ca.cert()));
    assertTrue(edge.baseUrl().startsWith("https://127.0.0.1:"), edge.baseUrl());
    assertEquals(edge.baseUrl(), edge.publicUrl());
    assertEquals(BigInteger.valueOf(2), TlsProbe.presentedSerial(edge.port()));

    HttpResponse<byte[]> miss = get(edge.baseUrl() + "/vod/clip/seg0.ts");
    assertEquals(200, miss.statusCode());
    assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse(null));
    assertArrayEquals(segment, miss.body());
    HttpResponse<byte[]> hit = get(edge.baseUrl() + "/vod/clip/seg0.ts");
    assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse(null));
    assertArrayEquals(segment, hit.body());
    assertEquals(200, get(edge.baseUrl() + "/health").statusCode());
    assertTrue(new String(get(edge.baseUrl() + "/vod/clip/index.m3u8").body(), StandardCharsets.UTF_8).startsWith("#EXTM3U"));
  }

  @Test
  void forwardsToAnHttpsOwnerEdge() throws Exception {
    // Two edges sharing the cache, both over HTTPS: whichever owns the playlist, a request to the other
    // fills through it. Ports are known only once they listen, so the set is given after start.
    EdgeServer one = startEdge(EdgeConfig.builder(origin.baseUrl()).id("edge-1").tls(edgeCert.files()).tlsCa(ca.cert()));
    EdgeServer two = startEdge(EdgeConfig.builder(origin.baseUrl()).id("edge-2").tls(edgeCert.files()).tlsCa(ca.cert()));
    List<dev.swarmcdn.edge.forwarding.routing.EdgeRing.Member> members = List.of(
        new dev.swarmcdn.edge.forwarding.routing.EdgeRing.Member("edge-1", one.baseUrl()),
        new dev.swarmcdn.edge.forwarding.routing.EdgeRing.Member("edge-2", two.baseUrl()));
    one.usePeers(members);
    two.usePeers(members);
    for (EdgeServer edge : List.of(one, two)) {
      HttpResponse<byte[]> playlist = get(edge.baseUrl() + "/vod/clip/index.m3u8");
      assertEquals(200, playlist.statusCode(), edge.id() + ": " + new String(playlist.body(), StandardCharsets.UTF_8));
    }
    // The second request was a hit at the owner, whichever edge it went to first.
    HttpResponse<byte[]> again = get(one.baseUrl() + "/vod/clip/index.m3u8");
    assertEquals(200, again.statusCode());
  }

  @Test
  void withoutTheCaTheOriginIsNotBelievedAndMistakesAreRefusedAtStart() throws Exception {
    EdgeServer trustsJvmOnly = startEdge(EdgeConfig.builder(origin.baseUrl()));
    assertEquals(502, get(trustsJvmOnly.baseUrl().replace("https", "http") + "/vod/clip/seg0.ts").statusCode());

    ExecutionException noCa = assertThrows(ExecutionException.class,
        () -> startEdge(EdgeConfig.builder(origin.baseUrl()).tlsCa(dir.resolve("none.pem"))));
    assertEquals("--tls-ca " + dir.resolve("none.pem") + ": no such file", noCa.getCause().getMessage());
    ExecutionException foreignKey = assertThrows(ExecutionException.class,
        () -> startEdge(EdgeConfig.builder(origin.baseUrl()).tls(new TlsFiles(edgeCert.cert(), originCert.key()))));
    assertTrue(foreignKey.getCause().getMessage().startsWith("--tls-key " + originCert.key() + " is not the key"),
        foreignKey.getCause().getMessage());
  }
}
