package dev.swarmcdn.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.edge.testing.MovableClock;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EdgeCachingTest {

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeServer edge;
  private EdgeClient client;
  /** Moved past a max-age instead of waiting it out. */
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    startEdge(EdgeConfig.builder(origin.url()).port(0).stale(Duration.ZERO, Duration.ofSeconds(60))
        .clock(clock).build());
  }

  private void startEdge(EdgeConfig config) throws Exception {
    running = RunningEdge.start(config);
    edge = running.server();
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void herdOfMissesMakesOneOriginRequestAndEveryoneGetsTheExactBytes() throws Exception {
    byte[] segment = random(2 * 1024 * 1024, 1);
    origin.put("/live/seg_1.m4s", segment, 200, "Cache-Control", "public, max-age=3600", "ETag", "\"s1\"");

    List<Future<Response>> herd = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      herd.add(client.send(HttpMethod.GET, "/live/seg_1.m4s"));
    }
    Future.all(herd).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertEquals(1, origin.requests("/live/seg_1.m4s"), "one upstream fetch for the whole herd");
    for (Future<Response> answer : herd) {
      assertEquals(200, answer.result().status());
      assertArrayEquals(segment, answer.result().body());
    }
    Response again = client.get("/live/seg_1.m4s");
    assertEquals("HIT", again.header("X-Cache"));
    assertArrayEquals(segment, again.body());
    assertEquals(1, origin.requests("/live/seg_1.m4s"));
  }

  @Test
  void hitCarriesAgeAndUpstreamHeaders() throws Exception {
    origin.put("/a.m3u8", "#EXTM3U\n".getBytes(), 0, "Cache-Control", "public, max-age=60",
        "Content-Type", "application/vnd.apple.mpegurl", "Access-Control-Allow-Origin", "*");
    assertEquals("MISS", client.get("/a.m3u8").header("X-Cache"));
    Response hit = client.get("/a.m3u8");
    assertEquals("HIT", hit.header("X-Cache"));
    assertEquals("application/vnd.apple.mpegurl", hit.header("Content-Type"));
    assertEquals("*", hit.header("Access-Control-Allow-Origin"), "CORS passes through");
    assertTrue(Long.parseLong(hit.header("Age")) >= 0);
    assertEquals(1, origin.requests("/a.m3u8"));
  }

  @Test
  void expiredEntryIsRevalidatedWithItsETagAnd304RefreshesIt() throws Exception {
    origin.put("/p.m3u8", "#EXTM3U\n#v1\n".getBytes(), 0, "Cache-Control", "max-age=1", "ETag", "\"v1\"");
    client.get("/p.m3u8");
    clock.advance(Duration.ofSeconds(2));
    Response revalidated = client.get("/p.m3u8");
    assertEquals("#EXTM3U\n#v1\n", new String(revalidated.body()));
    assertEquals(1, origin.notModified("/p.m3u8"), "the stale entry was revalidated, and the origin said 304");
    assertEquals("\"v1\"", origin.requestHeaders.get(origin.requestHeaders.size() - 1).get("If-None-Match"));
    Response refreshed = client.get("/p.m3u8");
    assertEquals("HIT", refreshed.header("X-Cache"), "the 304 made the entry fresh again");
  }

  @Test
  void changedObjectReplacesTheEntryOnRevalidation() throws Exception {
    origin.put("/c.m3u8", "one".getBytes(), 0, "Cache-Control", "max-age=1", "ETag", "\"1\"");
    assertEquals("one", new String(client.get("/c.m3u8").body()));
    origin.put("/c.m3u8", "two".getBytes(), 0, "Cache-Control", "max-age=60", "ETag", "\"2\"");
    assertEquals("one", new String(client.get("/c.m3u8").body()), "fresh for a second: not asked again");
    clock.advance(Duration.ofSeconds(2));
    assertEquals("two", new String(client.get("/c.m3u8").body()));
    assertEquals("HIT", client.get("/c.m3u8").header("X-Cache"));
  }

  @Test
  void noStoreAndPrivateAreNeverStored() throws Exception {
    origin.put("/ns", "x".getBytes(), 0, "Cache-Control", "no-store");
    origin.put("/pv", "y".getBytes(), 0, "Cache-Control", "private, max-age=60");
    for (int i = 0; i < 3; i++) {
      assertEquals("x", new String(client.get("/ns").body()));
      assertEquals("y", new String(client.get("/pv").body()));
    }
    assertEquals(3, origin.requests("/ns"));
    assertEquals(3, origin.requests("/pv"));
  }

  @Test
  void staleIfErrorServesTheStoredCopyWhileTheOriginIsDown() throws Exception {
    origin.put("/s.m4s", random(1000, 2), 0, "Cache-Control", "max-age=1", "ETag", "\"s\"");
    byte[] first = client.get("/s.m4s").body();
    origin.close();
    clock.advance(Duration.ofSeconds(2));
    Response stale = client.get("/s.m4s");
    assertEquals("STALE", stale.header("X-Cache"));
    assertEquals(200, stale.status());
    assertArrayEquals(first, stale.body());
    Response missing = client.get("/never-seen.m4s");
    assertEquals(502, missing.status(), "a miss with the origin down is a clear 502");
    origin = new TestOrigin(); // for stop()
  }

  @Test
  void staleWhileRevalidateAnswersABurstAtOnceAndRefreshesOnce() throws Exception {
    origin.put("/live.m3u8", "#EXTM3U\n".getBytes(), 0,
        "Cache-Control", "max-age=1, stale-while-revalidate=30", "ETag", "\"l\"");
    client.get("/live.m3u8");
    origin.put("/live.m3u8", "#EXTM3U\n".getBytes(), 1500,
        "Cache-Control", "max-age=1, stale-while-revalidate=30", "ETag", "\"l2\"");
    clock.advance(Duration.ofSeconds(2));
    assertEquals("STALE", client.get("/live.m3u8").header("X-Cache"));
    // The refresh is under way and takes 1.5 s: a burst now must be answered from the stale copy.
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      burst.add(client.send(HttpMethod.GET, "/live.m3u8"));
    }
    Future.all(burst).toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
    for (Future<Response> answer : burst) {
      assertEquals("STALE", answer.result().header("X-Cache"));
    }
    assertEquals(2, origin.requests("/live.m3u8"), "one fill, one background refresh");
  }

  @Test
  void truncatedUpstreamBodyIsNeverStoredNorPassedAsWhole() throws Exception {
    TruncatingOrigin broken = new TruncatingOrigin(100_000, 50_000);
    stop();
    origin = new TestOrigin();
    startEdge(EdgeConfig.builder(broken.url()).port(0).build());
    try {
      for (int attempt = 1; attempt <= 2; attempt++) {
        Throwable failure = client.send(HttpMethod.GET, "/t.m4s").toCompletionStage()
            .toCompletableFuture().handle((ok, error) -> ok == null ? error : null).get(10, TimeUnit.SECONDS);
        assertTrue(failure != null, "client must see the body break off, not a complete response");
        assertEquals(attempt, broken.requests(), "nothing was stored: every attempt goes upstream");
      }
    } finally {
      broken.close();
    }
  }

  @Test
  void ignoredQueryParametersShareAnEntryAndLowLatencyParametersDoNot() throws Exception {
    origin.put("/q.m3u8", "q".getBytes(), 0, "Cache-Control", "max-age=60");
    client.get("/q.m3u8?token=abc&b=2&a=1");
    assertEquals("HIT", client.get("/q.m3u8?a=1&b=2&token=zzz").header("X-Cache"));
    assertEquals("MISS", client.get("/q.m3u8?a=1&b=2&_HLS_msn=5").header("X-Cache"));
    assertEquals("MISS", client.get("/q.m3u8?a=1&b=2&_HLS_msn=6").header("X-Cache"));
    assertEquals(3, origin.requests("/q.m3u8"));
  }

  @Test
  void conditionalRequestFromClientGets304FromCache() throws Exception {
    origin.put("/e.m4s", random(500, 3), 0, "Cache-Control", "max-age=60", "ETag", "\"e\"");
    client.get("/e.m4s");
    Response notModified = client.get("/e.m4s", "If-None-Match", "\"e\"");
    assertEquals(304, notModified.status());
    assertEquals(0, notModified.body().length);
    assertEquals(1, origin.requests("/e.m4s"));
  }

  @Test
  void rangesAreServedFromTheCacheEvenOnAMiss() throws Exception {
    byte[] body = random(100_000, 5);
    origin.put("/r.m4s", body, 100, "Cache-Control", "max-age=60", "ETag", "\"r\"");
    Response firstAsk = client.get("/r.m4s", "Range", "bytes=10-19");
    assertEquals(206, firstAsk.status(), "a range on a miss waits for the object, then is cut from it");
    assertEquals("bytes 10-19/100000", firstAsk.header("Content-Range"));
    assertArrayEquals(java.util.Arrays.copyOfRange(body, 10, 20), firstAsk.body());

    Response suffix = client.get("/r.m4s", "Range", "bytes=-5");
    assertArrayEquals(java.util.Arrays.copyOfRange(body, 99_995, 100_000), suffix.body());
    assertEquals(416, client.get("/r.m4s", "Range", "bytes=100000-").status());
    Response malformed = client.get("/r.m4s", "Range", "bytes=abc");
    assertEquals(200, malformed.status(), "a malformed range is ignored");
    assertArrayEquals(body, malformed.body());
    Response staleValidator = client.get("/r.m4s", "Range", "bytes=0-9", "If-Range", "\"other\"");
    assertEquals(200, staleValidator.status(), "If-Range that does not match: whole object");
    assertEquals(1, origin.requests("/r.m4s"));
  }

  @Test
  void headIsAnsweredWithoutBodyAndWarmsTheCache() throws Exception {
    byte[] body = random(4000, 4);
    origin.put("/h.m4s", body, 0, "Cache-Control", "max-age=60");
    Response head = client.send(HttpMethod.HEAD, "/h.m4s").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals(200, head.status());
    assertEquals("4000", head.header("Content-Length"));
    assertEquals(0, head.body().length);
    await().atMost(Duration.ofSeconds(5)).until(() -> "HIT".equals(client.get("/h.m4s").header("X-Cache")));
    assertEquals(1, origin.requests("/h.m4s"));
  }

  @Test
  void memoryBoundHoldsUnderAStreamOfLargeObjects() throws Exception {
    stop();
    origin = new TestOrigin();
    long bound = 8L << 20;
    startEdge(EdgeConfig.builder(origin.url()).port(0).memory(bound, 2L << 20).build());
    for (int i = 0; i < 40; i++) {
      byte[] body = random(1 << 20, i);
      origin.put("/big/" + i + ".m4s", body, 0, "Cache-Control", "max-age=600");
      assertArrayEquals(body, client.get("/big/" + i + ".m4s").body());
      long held = edge.status().getLong("memoryBytes");
      assertTrue(held <= bound, "memory tier holds " + held + " > bound " + bound);
    }
    assertTrue(edge.status().getLong("memoryEntries") < 40, "older objects were evicted");
  }

  @Test
  void badMethodsAndClimbingPathsAreRefusedBeforeTheUpstream() throws Exception {
    assertEquals(405, client.send(HttpMethod.POST, "/x").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).status());
    assertEquals(400, client.get("/live/%2e%2e/secret").status());
    assertNotEquals(200, client.get("/live/../secret").status());
    assertEquals(0, origin.requests("/secret"));
  }

  @Test
  void upstreamThatNeverAnswersGivesA504WithinTheBound() throws Exception {
    stop();
    origin = new TestOrigin();
    origin.put("/slow.m4s", "x".getBytes(), 5_000, "Cache-Control", "max-age=60");
    startEdge(EdgeConfig.builder(origin.url()).port(0).timeouts(
        new UpstreamTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1))).build());
    assertEquals(504, client.get("/slow.m4s").status());
  }
}
