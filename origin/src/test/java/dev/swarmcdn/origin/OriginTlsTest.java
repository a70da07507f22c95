package dev.swarmcdn.origin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.kit.config.ConfigFile;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.kit.http.tls.DevCertificates;
import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.http.tls.TlsProbe;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.kit.ops.Observability;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The origin over HTTPS: --tls-cert and --tls-key, refused mistakes, files reloaded while it runs. */
class OriginTlsTest {

  @TempDir Path dir;
  private Vertx vertx;
  private OriginServer origin;
  private DevCertificates.Authority ca;
  private HttpClient http;

  @BeforeEach
  void start() {
    assumeTrue(DevCertificates.available(), "no openssl command (scripts/install-deps installs it)");
    ca = DevCertificates.authority(dir.resolve("ca"), "ca", "origin test CA", 2);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (origin != null) {
      origin.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private OriginServer startOrigin(TlsFiles tls) throws Exception {
    Path media = Files.createDirectories(dir.resolve("media").resolve("clip"));
    Files.writeString(media.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-ENDLIST\n");
    OriginConfig config = OriginConfig.defaults().withDirectories(dir.resolve("media"), dir.resolve("data"))
        .withPort(0).withTls(tls);
    return new OriginServer(vertx, config, Observability.create(), null).start()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String url) throws Exception {
    if (http == null) {
      // Generous bounds: a TLS handshake on a loaded two-core machine may take seconds.
      http = HttpClient.newBuilder().sslContext(TlsTrust.withCa(ca.cert()).sslContext())
          .connectTimeout(Duration.ofSeconds(20)).build();
    }
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsWithItsCertificateAndReloadsIt() throws Exception {
    DevCertificates.Issued issued = DevCertificates.issue(ca, dir.resolve("tls"), "origin", BigInteger.valueOf(41), 2);
    origin = startOrigin(issued.files());
    assertTrue(origin.baseUrl().startsWith("https://127.0.0.1:"), origin.baseUrl());

    HttpResponse<String> playlist = get(origin.baseUrl() + "/vod/clip/index.m3u8");
    assertEquals(200, playlist.statusCode());
    assertTrue(playlist.body().startsWith("#EXTM3U"));
    assertEquals(200, get(origin.baseUrl() + "/health").statusCode());
    assertEquals(200, get(origin.baseUrl() + "/metrics").statusCode());
    assertEquals(BigInteger.valueOf(41), TlsProbe.presentedSerial(origin.port()));

    // New files in place: the next handshake presents the new certificate.
    DevCertificates.issue(ca, dir.resolve("tls"), "origin", BigInteger.valueOf(42), 2);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> BigInteger.valueOf(42).equals(TlsProbe.presentedSerial(origin.port())));
    assertEquals(200, get(origin.baseUrl() + "/vod/clip/index.m3u8").statusCode());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtStart() {
    DevCertificates.Issued one = DevCertificates.issue(ca, dir.resolve("tls"), "one", BigInteger.ONE, 2);
    DevCertificates.Issued two = DevCertificates.issue(ca, dir.resolve("tls"), "two", BigInteger.TWO, 2);
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> startOrigin(new TlsFiles(one.cert(), two.key())));
    assertTrue(refused.getCause().getMessage().startsWith("--tls-key " + two.key() + " is not the key of the certificate"),
        refused.getCause().getMessage());
    ExecutionException missing = assertThrows(ExecutionException.class,
        () -> startOrigin(new TlsFiles(dir.resolve("none.pem"), one.key())));
    assertEquals("--tls-cert " + dir.resolve("none.pem") + ": no such file", missing.getCause().getMessage());
  }

  @Test
  void theFlagsComeFromTheCommandLineTheEnvironmentOrTheFile() throws Exception {
    OriginCommand fromEnvironment = new OriginCommand();
    new CommandLine(fromEnvironment).setDefaultValueProvider(new LayeredDefaults(
            Map.of("CDN_ORIGIN_TLS_CERT", "/etc/cdn/cert.pem"),
            new ObjectMapper().readTree("{\"origin\": {\"tls-key\": \"/etc/cdn/key.pem\"}}")))
        .parseArgs();
    assertEquals(new TlsFiles(Path.of("/etc/cdn/cert.pem"), Path.of("/etc/cdn/key.pem")), fromEnvironment.config().tls());

    OriginCommand certAlone = new OriginCommand();
    new CommandLine(certAlone).setDefaultValueProvider(new LayeredDefaults(Map.of(), ConfigFile.none()))
        .parseArgs("--tls-cert", "cert.pem");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, certAlone::config);
    assertEquals("--tls-cert cert.pem needs --tls-key: give the private key with its certificate", refused.getMessage());
  }
}
