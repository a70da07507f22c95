package dev.swarmcdn.kit.http.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.ops.OpsRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS every server shares: /health, /ready and /metrics over HTTPS to a client that trusts the
 * CA given with --tls-ca; mistakes refused at start by flag; the files reloaded when they change,
 * and a broken new pair refused while the old one stays.
 */
class ServerTlsTest {

  @TempDir static Path shared;
  private static DevCertificates.Authority ca;

  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer server;
  private ServerTls tls;

  @BeforeAll
  static void authority() {
    assumeTrue(DevCertificates.available(), "no openssl command (scripts/install-deps installs it)");
    ca = DevCertificates.authority(shared, "ca", "swarmcdn test CA", 2);
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx(new VertxOptions());
  }

  @AfterEach
  void stop() throws Exception {
    if (tls != null) {
      tls.stop();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void serve(TlsFiles files, Duration checkEvery) throws Exception {
    Observability observability = Observability.create();
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, observability, () -> true, JsonObject::new);
    tls = ServerTls.load(vertx, "test server", files, checkEvery);
    server = vertx.createHttpServer(tls.secure(new HttpServerOptions().setHost("127.0.0.1").setPort(0)))
        .requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    tls.watch(server);
  }

  private HttpResponse<String> get(TlsTrust trust, String path) throws Exception {
    // Generous bounds: a TLS handshake on a loaded two-core machine may take seconds.
    HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext()).connectTimeout(Duration.ofSeconds(20)).build();
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void opsEndpointsAnswerOverHttpsToAClientTrustingTheCa() throws Exception {
    DevCertificates.Issued issued = DevCertificates.issue(ca, dir, "server", BigInteger.valueOf(7), 2);
    serve(issued.files(), ServerTls.CHECK_INTERVAL);
    TlsTrust trust = TlsTrust.withCa(ca.cert());
    assertEquals(200, get(trust, "/health").statusCode());
    assertEquals(200, get(trust, "/ready").statusCode());
    HttpResponse<String> metrics = get(trust, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("jvm_"), "Prometheus text");
    assertEquals(BigInteger.valueOf(7), TlsProbe.presentedSerial(server.actualPort()));
    // The JVM's own CAs never signed it: without --tls-ca the client refuses.
    assertThrows(SSLHandshakeException.class, () -> get(TlsTrust.JVM, "/health"));
    // TLS only on the port: a plain HTTP request gets no HTTP answer.
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/health")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void mistakesAreRefusedByFlag() {
    DevCertificates.Issued one = DevCertificates.issue(ca, dir, "one", BigInteger.ONE, 2);
    DevCertificates.Issued two = DevCertificates.issue(ca, dir, "two", BigInteger.TWO, 2);

    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () -> TlsFiles.of(one.cert(), null));
    assertTrue(alone.getMessage().startsWith("--tls-cert ") && alone.getMessage().contains("needs --tls-key"),
        alone.getMessage());
    IllegalArgumentException keyAlone = assertThrows(IllegalArgumentException.class, () -> TlsFiles.of(null, one.key()));
    assertTrue(keyAlone.getMessage().contains("needs --tls-cert"), keyAlone.getMessage());

    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.load(vertx, "test", new TlsFiles(one.cert(), two.key()), ServerTls.CHECK_INTERVAL));
    assertTrue(mismatch.getMessage().startsWith("--tls-key " + two.key() + " is not the key of the certificate in --tls-cert "
        + one.cert()), mismatch.getMessage());

    Path missing = dir.resolve("nowhere.pem");
    IllegalArgumentException noCert = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.load(vertx, "test", new TlsFiles(missing, one.key()), ServerTls.CHECK_INTERVAL));
    assertEquals("--tls-cert " + missing + ": no such file", noCert.getMessage());
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.load(vertx, "test", new TlsFiles(one.cert(), missing), ServerTls.CHECK_INTERVAL));
    assertEquals("--tls-key " + missing + ": no such file", noKey.getMessage());

    // The files swapped: a key where the certificate goes, a certificate where the key goes.
    IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.load(vertx, "test", new TlsFiles(one.key(), one.cert()), ServerTls.CHECK_INTERVAL));
    assertTrue(swapped.getMessage().startsWith("--tls-cert " + one.key()), swapped.getMessage());
    IllegalArgumentException notAKey = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.load(vertx, "test", new TlsFiles(one.cert(), one.cert()), ServerTls.CHECK_INTERVAL));
    assertTrue(notAKey.getMessage().startsWith("--tls-key " + one.cert() + ": not a PEM private key"), notAKey.getMessage());

    IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> TlsTrust.withCa(missing));
    assertEquals("--tls-ca " + missing + ": no such file", noCa.getMessage());
  }

  @Test
  void newFilesAreServedFromTheNextHandshakeAndABrokenPairKeepsTheOld() throws Exception {
    DevCertificates.Issued first = DevCertificates.issue(ca, dir, "server", BigInteger.valueOf(0x1001), 2);
    serve(first.files(), Duration.ofMillis(100));
    int port = server.actualPort();
    assertEquals(BigInteger.valueOf(0x1001), TlsProbe.presentedSerial(port));

    DevCertificates.issue(ca, dir, "server", BigInteger.valueOf(0x1002), 2);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> BigInteger.valueOf(0x1002).equals(TlsProbe.presentedSerial(port))
            && BigInteger.valueOf(0x1002).equals(tls.certificate().getSerialNumber()));
    assertEquals(200, get(TlsTrust.withCa(ca.cert()), "/health").statusCode());

    // A certificate whose key is another's: refused, the pair in use stays.
    DevCertificates.Issued other = DevCertificates.issue(ca, dir, "other", BigInteger.valueOf(0x1003), 2);
    Files.copy(other.cert(), first.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> tls.lastRefusal() != null);
    assertTrue(tls.lastRefusal().contains("is not the key of the certificate in --tls-cert"), tls.lastRefusal());
    assertEquals(BigInteger.valueOf(0x1002), TlsProbe.presentedSerial(port));

    // Its key joins it: now it is a pair, and it is served.
    Files.copy(other.key(), first.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> BigInteger.valueOf(0x1003).equals(TlsProbe.presentedSerial(port)));
  }
}
