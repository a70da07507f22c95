package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Objects the cache will not keep (larger than the largest object kept) pass through: streamed to
 * their clients at the clients' pace, the upstream paused while they lag, never held whole. What
 * the edge's pool of bodies holds is measured while they pass.
 */
class EdgePassThroughTest {

  private static final long MEMORY_TIER = 4L << 20;
  private static final long MAX_OBJECT = 1L << 20;
  /**
   * A fifth of the largest object sent. The pool takes memory from the system in chunks of 4 MiB;
   * a pass-through uses about 1.3 MiB of one (its window and the page being written).
   */
  private static final long POOL_BOUND = 2 * MEMORY_TIER;

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeServer edge;
  private final Vertx clientVertx = Vertx.vertx();
  private final HttpClient http = clientVertx.createHttpClient();

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).memory(MEMORY_TIER, MAX_OBJECT).build());
    edge = running.server();
  }

  @AfterEach
  void stop() throws Exception {
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    running.close();
    origin.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** What a slow client got, and the most the edge's pool of bodies held while it read. */
  private record SlowRead(int status, String cache, byte[] body, long peakPoolBytes) {}

  /**
   * A client that reads at about 50 MB/s (a pause of 5 ms every 256 KiB), far slower than an origin
   * on this machine sends, sampling the edge's pool of bodies at every chunk.
   */
  private Future<SlowRead> readSlowly(String base, String path) {
    AtomicLong peak = new AtomicLong();
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + path))
        .compose(request -> request.send())
        .compose(response -> {
          Promise<SlowRead> read = Promise.promise();
          Buffer body = Buffer.buffer();
          long[] untilPause = {256 * 1024};
          response.handler(chunk -> {
            body.appendBuffer(chunk);
            peak.accumulateAndGet(edge.bodyPoolBytes(), Math::max);
            untilPause[0] -= chunk.length();
            if (untilPause[0] <= 0) {
              untilPause[0] = 256 * 1024;
              response.pause();
              clientVertx.setTimer(5, id -> response.resume());
            }
          });
          response.exceptionHandler(read::tryFail);
          response.endHandler(ignored -> read.tryComplete(new SlowRead(response.statusCode(),
              response.getHeader("X-Cache"), body.getBytes(), peak.get())));
          return read.future();
        });
  }

  private static <T> T within(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  @Test
  void anObjectSeveralTimesTheMemoryTierPassesThroughByteExactWithinABoundedPool() throws Exception {
    byte[] body = random(10 * (int) MEMORY_TIER, 1);
    origin.put("/vod/film.mp4", body, 0, "Cache-Control", "public, max-age=600");

    SlowRead read = within(readSlowly(edge.baseUrl(), "/vod/film.mp4"), 60);
    assertEquals(200, read.status());
    assertArrayEquals(body, read.body());
    System.out.printf("pass-through of %d MiB: body pool peaked at %.1f MiB%n", body.length >> 20,
        read.peakPoolBytes() / 1048576.0);
    assertTrue(read.peakPoolBytes() <= POOL_BOUND,
        "the pool of bodies held " + read.peakPoolBytes() + " bytes, bound " + POOL_BOUND);
    assertEquals(0, edge.status().getLong("memoryEntries"), "too large to keep");
    assertEquals("MISS", within(readSlowly(edge.baseUrl(), "/vod/film.mp4"), 60).cache());
    assertEquals(2, origin.requests("/vod/film.mp4"));
  }

  @Test
  void aBodyOfUnknownLengthBecomesAPassThroughWhenItOutgrowsTheLargestObjectKept() throws Exception {
    byte[] large = random(10 * (int) MEMORY_TIER, 2);
    byte[] small = random(100_000, 3);
    try (ChunkedOrigin chunked = new ChunkedOrigin()) {
      chunked.put("/live/large.ts", large);
      chunked.put("/live/small.ts", small);
      try (RunningEdge other = RunningEdge.start(EdgeConfig.builder(chunked.url()).port(0)
          .memory(MEMORY_TIER, MAX_OBJECT).build())) {
        edge = other.server();
        SlowRead read = within(readSlowly(edge.baseUrl(), "/live/large.ts"), 60);
        assertArrayEquals(large, read.body());
        assertTrue(read.peakPoolBytes() <= POOL_BOUND + MAX_OBJECT,
            "held " + read.peakPoolBytes() + ": at most what it kept before it knew, and a window");
        assertEquals("MISS", within(readSlowly(edge.baseUrl(), "/live/large.ts"), 60).cache());
        assertEquals(2, chunked.requests.get(), "not stored");

        assertArrayEquals(small, other.client().get("/live/small.ts").body());
        Response again = other.client().get("/live/small.ts");
        assertEquals("HIT", again.header("X-Cache"), "a small body of unknown length is kept");
        assertArrayEquals(small, again.body());
      } finally {
        edge = running.server();
      }
    }
  }

  @Test
  void coalescedWaitersOfAnObjectThatTurnsOutTooLargeAreAllServedFromTheOneFetch() throws Exception {
    byte[] body = random(4 * (int) MEMORY_TIER, 4);
    origin.put("/vod/big.mp4", body, 300, "Cache-Control", "public, max-age=600");
    List<Future<SlowRead>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiters.add(readSlowly(edge.baseUrl(), "/vod/big.mp4"));
    }
    within(Future.all(waiters), 60);
    for (Future<SlowRead> waiter : waiters) {
      assertEquals(200, waiter.result().status());
      assertArrayEquals(body, waiter.result().body());
      assertTrue(waiter.result().peakPoolBytes() <= POOL_BOUND, "held " + waiter.result().peakPoolBytes());
    }
    assertEquals(1, origin.requests("/vod/big.mp4"), "they all waited for the same fetch");
  }

  @Test
  void aHeadForAnObjectTooLargeToKeepLeavesTheNextRequestWhole() throws Exception {
    byte[] body = random(3 * (int) MEMORY_TIER, 6);
    origin.put("/vod/head.mp4", body, 0, "Cache-Control", "public, max-age=600");
    Response head = within(running.client().send(HttpMethod.HEAD, "/vod/head.mp4"), 10);
    assertEquals(200, head.status());
    assertEquals(Integer.toString(body.length), head.header("Content-Length"));
    assertEquals(0, head.body().length);
    assertArrayEquals(body, running.client().get("/vod/head.mp4").body(), "a fetch of its own, whole");
  }

  @Test
  void coalescedWaitersOfANoStoreObjectAreAllServed() throws Exception {
    byte[] body = random(200_000, 5);
    origin.put("/api/now.json", body, 300, "Cache-Control", "no-store");
    List<Future<Response>> waiters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiters.add(running.client().send(HttpMethod.GET, "/api/now.json"));
    }
    within(Future.all(waiters), 30);
    for (Future<Response> waiter : waiters) {
      assertEquals(200, waiter.result().status());
      assertArrayEquals(body, waiter.result().body());
    }
    assertEquals(1, origin.requests("/api/now.json"));
  }

  /** A real origin that sends chunked bodies of unknown length, honouring back-pressure. */
  private static final class ChunkedOrigin implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final java.util.Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    ChunkedOrigin() throws Exception {
      server = vertx.createHttpServer().requestHandler(request -> {
        requests.incrementAndGet();
        byte[] body = bodies.get(request.path());
        HttpServerResponse response = request.response().setChunked(true)
            .putHeader("Cache-Control", "public, max-age=600");
        send(response, body, 0);
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void send(HttpServerResponse response, byte[] body, int from) {
      int at = from;
      while (at < body.length && !response.writeQueueFull()) {
        int end = Math.min(body.length, at + 64 * 1024);
        response.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, at, end)));
        at = end;
      }
      if (at == body.length) {
        response.end();
        return;
      }
      int next = at;
      response.drainHandler(ignored -> send(response, body, next));
    }

    void put(String path, byte[] body) {
      bodies.put(path, body);
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() throws Exception {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
