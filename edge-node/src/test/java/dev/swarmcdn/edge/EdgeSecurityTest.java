package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.protocol.access.AccessToken;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed URLs checked before anything else, and the authenticated purge API. */
class EdgeSecurityTest {

  private static final String SECRET = "s3cret";
  private static final String ADMIN = "admin-token";

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    origin.put("/live/demo/index.m3u8", "#EXTM3U\nseg.m4s\n".getBytes(), 0, "Cache-Control", "max-age=60");
    origin.put("/live/demo/seg.m4s", "segment".getBytes(), 0, "Cache-Control", "max-age=600");
    origin.put("/live/other/seg.m4s", "other".getBytes(), 0, "Cache-Control", "max-age=600");
    origin.put("/keys/integrity.json", "{\"keyId\":\"k\"}".getBytes(), 0, "Cache-Control", "max-age=600");
    origin.put("/keys/other.json", "{}".getBytes(), 0, "Cache-Control", "max-age=600");
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).accessSecret(SECRET)
        .adminToken(ADMIN).build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  private static String token(String prefix, long expiresAt) {
    return new AccessToken(prefix, expiresAt).sign(SECRET.getBytes(StandardCharsets.UTF_8));
  }

  private static long inAnHour() {
    return System.currentTimeMillis() / 1000 + 3600;
  }

  @Test
  void everyRefusalIsA403WithItsReasonAndNothingReachesTheOrigin() throws Exception {
    assertRefused(client.get("/live/demo/seg.m4s"), "missing");
    assertRefused(client.get("/live/demo/seg.m4s?token=garbage"), "malformed");
    assertRefused(client.get("/live/demo/seg.m4s?token=" + token("/live/demo/", 1_000)), "expired");
    assertRefused(client.get("/live/other/seg.m4s?token=" + token("/live/demo/", inAnHour())), "wrong_path");
    String forged = new AccessToken("/live/", inAnHour()).sign("guess".getBytes(StandardCharsets.UTF_8));
    assertRefused(client.get("/live/demo/seg.m4s?token=" + forged), "bad_signature");
    assertEquals(0, origin.requests("/live/demo/seg.m4s"));
    assertEquals(0, origin.requests("/live/other/seg.m4s"));
  }

  private static void assertRefused(Response response, String reason) {
    assertEquals(403, response.status(), reason);
    assertEquals(reason, response.header("X-Access-Refused"));
    assertTrue(new String(response.body()).contains("token"), new String(response.body()));
  }

  @Test
  void aValidQueryTokenIsServedAndIsNotPartOfTheCacheKey() throws Exception {
    Response first = client.get("/live/demo/seg.m4s?token=" + token("/live/demo/", inAnHour()));
    assertEquals(200, first.status());
    assertEquals("segment", new String(first.body()));
    Response second = client.get("/live/demo/seg.m4s?token=" + token("/live/", inAnHour() + 5));
    assertEquals("HIT", second.header("X-Cache"), "another viewer's token, same object");
    assertEquals(1, origin.requests("/live/demo/seg.m4s"));
  }

  @Test
  void theTokenStaysOutOfTheCacheKeyWhateverElseIsIgnored() throws Exception {
    running.close();
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).accessSecret(SECRET)
        .ignoreQuery(Set.of("utm")).build());
    client = running.client();
    assertEquals("MISS", client.get("/live/demo/seg.m4s?token=" + token("/live/", inAnHour())).header("X-Cache"));
    assertEquals("HIT", client.get("/live/demo/seg.m4s?utm=x&token=" + token("/live/demo/", inAnHour())).header("X-Cache"));
    assertEquals(1, origin.requests("/live/demo/seg.m4s"));
  }

  @Test
  void aPathTokenCoversRelativeSegmentUris() throws Exception {
    String base = "/~t/" + token("/live/demo/", inAnHour());
    Response playlist = client.get(base + "/live/demo/index.m3u8");
    assertEquals(200, playlist.status());
    // The player resolves "seg.m4s" against the playlist URL: the token comes along by itself.
    Response segment = client.get(base + "/live/demo/seg.m4s");
    assertEquals(200, segment.status());
    assertEquals("segment", new String(segment.body()));
    assertEquals(403, client.get(base + "/live/other/seg.m4s").status());
  }

  @Test
  void theOriginsPublicKeyNeedsNoTokenAndNothingElseBesideItDoes() throws Exception {
    assertEquals(200, client.get("/keys/integrity.json").status(), "every viewer checks peers' bytes with it");
    String base = "/~t/" + token("/live/demo/", inAnHour());
    assertEquals(200, client.get(base + "/keys/integrity.json").status(), "resolved against a signed playlist path");
    assertRefused(client.get("/keys/other.json"), "missing");
    assertRefused(client.get("/keys/integrity.json/x"), "missing");
    assertEquals(0, origin.requests("/keys/other.json"));
  }

  @Test
  void operationalEndpointsNeedNoToken() throws Exception {
    assertEquals(200, client.get("/health").status());
    assertEquals(200, client.get("/metrics").status());
  }

  @Test
  void purgeNeedsTheAdminTokenAndDropsByPathAndPrefix() throws Exception {
    String token = "?token=" + token("/live/", inAnHour());
    client.get("/live/demo/seg.m4s" + token);
    client.get("/live/demo/index.m3u8" + token);
    client.get("/live/other/seg.m4s" + token);

    Response anonymous = client.send(HttpMethod.POST, "/_edge/purge?path=/live/demo/seg.m4s")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(401, anonymous.status());
    assertEquals("HIT", client.get("/live/demo/seg.m4s" + token).header("X-Cache"));

    Response exact = client.send(HttpMethod.POST, "/_edge/purge?path=/live/demo/seg.m4s",
        "Authorization", "Bearer " + ADMIN).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, exact.status());
    assertTrue(new String(exact.body()).contains("\"purged\":1"), new String(exact.body()));
    assertEquals("MISS", client.get("/live/demo/seg.m4s" + token).header("X-Cache"));

    Response prefix = client.send(HttpMethod.POST, "/_edge/purge?prefix=/live/",
        "Authorization", "Bearer " + ADMIN).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(new String(prefix.body()).contains("\"purged\":3"), new String(prefix.body()));
    assertEquals("MISS", client.get("/live/other/seg.m4s" + token).header("X-Cache"));

    Response bad = client.send(HttpMethod.POST, "/_edge/purge", "Authorization", "Bearer " + ADMIN)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(400, bad.status());
  }
}
