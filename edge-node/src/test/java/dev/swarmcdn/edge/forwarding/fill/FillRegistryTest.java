package dev.swarmcdn.edge.forwarding.fill;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.PagedBodies;
import dev.swarmcdn.edge.forwarding.cache.PurgeLog;
import dev.swarmcdn.edge.forwarding.upstream.Upstream;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamTimeouts;
import dev.swarmcdn.kit.http.tls.TlsTrust;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coalescing and the fills it runs, against a real HTTP upstream: one fetch per key while it runs,
 * a purge wins over a running fetch, failures and short bodies fail the fill, retention decides
 * what is kept whole, and a peer edge's body is used only once checked.
 */
class FillRegistryTest {

  private static final byte[] OBJECT = random(200_000);
  private static final Retention KEEP_200 = new Retention(1 << 20, head -> head.status() == 200);

  private final Vertx vertx = Vertx.vertx();
  private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PurgeLog purges = new PurgeLog();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  /** Answers of /slow wait for this, so a test decides when a fill is still running. */
  private final Promise<Void> release = Promise.promise();
  private final AtomicInteger settled = new AtomicInteger();
  private HttpServer origin;
  private NetServer truncating;
  private UpstreamClient client;
  private FillRegistry fills;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @BeforeEach
  void start() throws Exception {
    origin = vertx.createHttpServer().requestHandler(request -> {
      asked.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
      switch (request.path()) {
        case "/slow.m4s" -> release.future().onComplete(ignored -> request.response().end(Buffer.buffer(OBJECT)));
        case "/peer/good.m4s", "/origin/good.m4s", "/origin/bad.m4s", "/obj.m4s" ->
            request.response().end(Buffer.buffer(OBJECT));
        case "/peer/bad.m4s" -> request.response().end("forged");
        case "/private.m4s" -> request.response().putHeader("Cache-Control", "private").end("p");
        default -> request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    truncating = vertx.createNetServer().connectHandler(socket -> socket.handler(ignored ->
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345").onComplete(written -> socket.close())))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = new UpstreamClient(vertx, UpstreamTimeouts.defaults(), TlsTrust.JVM);
    fills = new FillRegistry(client, allocator, System::currentTimeMillis, purges, meters);
  }

  @AfterEach
  void stop() throws Exception {
    release.tryComplete();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private List<Upstream> origin(String base) {
    return List.of(Upstream.parse("http://127.0.0.1:" + origin.actualPort() + base));
  }

  private static CacheKey key(String path) {
    return new CacheKey("origin", path, "");
  }

  /** Joins on a Vert.x context, as a request handler does; settling releases the fill's reference. */
  private FillRegistry.Joined join(String path, List<Upstream> upstreams, Retention retention, PeerCheck check)
      throws Exception {
    return onContext(() -> fills.join(key(path), upstreams, MultiMap.caseInsensitiveMultiMap(), retention, check,
        fill -> {
          settled.incrementAndGet();
          fill.body().release();
        }));
  }

  private <T> T onContext(Supplier<T> task) throws Exception {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(ignored -> result.complete(task.get()));
    return result.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static byte[] read(Fill.Reader reader) {
    return PagedBodies.copy(reader.body(), reader.body().published());
  }

  @Test
  void requestsWhileAFetchRunsJoinItAndEachReadsTheWholeBody() throws Exception {
    FillRegistry.Joined first = join("/slow.m4s", origin(""), KEEP_200, null);
    FillRegistry.Joined second = join("/slow.m4s", origin(""), KEEP_200, null);
    assertTrue(first.started());
    assertFalse(second.started());
    assertSame(first.fill(), second.fill());
    assertEquals(1, fills.inFlight());
    release.complete();
    result(first.fill().done());
    assertArrayEquals(OBJECT, read(first.reader()));
    assertArrayEquals(OBJECT, read(second.reader()));
    assertTrue(first.fill().keptWhole());
    assertTrue(first.reader().complete());
    assertNull(first.fill().join(), "a complete fill takes no more readers: the cache has it");
    first.reader().release();
    second.reader().release();
    await().atMost(Duration.ofSeconds(5)).until(() -> fills.inFlight() == 0);
    assertEquals(1, settled.get());
    assertEquals(1, asked.get("/slow.m4s").get());
    assertEquals(1, meters.get("edge_coalesced_waiters_total").counter().count());
    assertEquals(0, allocator.metric().usedDirectMemory(), "every reference given back");
  }

  @Test
  void aSettledFillIsNotJoinedAgain() throws Exception {
    FillRegistry.Joined first = join("/obj.m4s", origin(""), KEEP_200, null);
    result(first.fill().done());
    first.reader().release();
    await().atMost(Duration.ofSeconds(5)).until(() -> fills.inFlight() == 0);
    FillRegistry.Joined again = join("/obj.m4s", origin(""), KEEP_200, null);
    assertTrue(again.started());
    result(again.fill().done());
    again.reader().release();
    assertEquals(2, asked.get("/obj.m4s").get());
  }

  @Test
  void aPurgeOvertakesARunningFillAndLaterRequestsFetchAgain() throws Exception {
    FillRegistry.Joined before = join("/slow.m4s", origin(""), KEEP_200, null);
    purges.record(key -> key.path().equals("/slow.m4s"));
    FillRegistry.Joined after = join("/slow.m4s", origin(""), KEEP_200, null);
    assertTrue(after.started(), "what the first fetch brings predates the purge");
    release.complete();
    result(before.fill().done());
    result(after.fill().done());
    assertTrue(after.fill().purgeMark() > before.fill().purgeMark());
    before.reader().release();
    after.reader().release();
    assertEquals(2, asked.get("/slow.m4s").get());
  }

  @Test
  void noAnswerFailsTheHeadAndTheFill() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    FillRegistry.Joined joined = join("/x.m4s", List.of(Upstream.parse("http://127.0.0.1:" + closedPort)),
        KEEP_200, null);
    assertTrue(joined.fill().done().toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error != null).get(10, TimeUnit.SECONDS));
    assertTrue(joined.fill().head().failed());
    assertNotNull(joined.reader().failure());
    joined.reader().release();
    await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() == 1);
  }

  @Test
  void aBodyCutShortOfItsContentLengthFailsTheFill() throws Exception {
    FillRegistry.Joined joined = join("/cut.m4s", List.of(Upstream.parse("http://127.0.0.1:" + truncating.actualPort())),
        KEEP_200, null);
    assertEquals(10, result(joined.fill().head()).contentLength());
    Throwable failure = joined.fill().done().toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    // The connection closing mid-body is what Vert.x reports first; either way the fill fails.
    assertNotNull(failure, "a short body is never complete");
    assertSame(failure, joined.reader().failure(), "its readers are told, and reset their clients");
    assertFalse(joined.reader().complete());
    joined.reader().release();
  }

  @Test
  void retentionDecidesWhatIsKeptWholeAndEveryReaderStillGetsTheBody() throws Exception {
    FillRegistry.Joined tooLarge = join("/obj.m4s", origin(""), new Retention(1000, head -> true), null);
    result(tooLarge.fill().done());
    assertFalse(tooLarge.fill().keptWhole(), "larger than the largest object kept");
    assertArrayEquals(OBJECT, read(tooLarge.reader()));
    tooLarge.reader().release();
    Retention publicOnly = new Retention(1 << 20, head -> !"private".equals(head.headers().get("Cache-Control")));
    FillRegistry.Joined notStorable = join("/private.m4s", origin(""), publicOnly, null);
    result(notStorable.fill().done());
    assertFalse(notStorable.fill().keptWhole());
    notStorable.reader().release();
  }

  @Test
  void aPeerEdgesBodyIsUsedOnlyOnceItPassedTheCheck() throws Exception {
    List<Upstream> peerThenOrigin = List.of(origin("/peer").get(0), origin("/origin").get(0));
    PeerCheck sameAsOrigin = body -> Future.succeededFuture(java.util.Arrays.equals(body.getBytes(), OBJECT));
    FillRegistry.Joined good = join("/good.m4s", peerThenOrigin, KEEP_200, sameAsOrigin);
    result(good.fill().done());
    assertArrayEquals(OBJECT, read(good.reader()));
    assertEquals(1, asked.get("/peer/good.m4s").get());
    assertNull(asked.get("/origin/good.m4s"), "checked bytes from the peer: the origin is not asked");
    good.reader().release();

    FillRegistry.Joined forged = join("/bad.m4s", peerThenOrigin, KEEP_200, sameAsOrigin);
    result(forged.fill().done());
    assertArrayEquals(OBJECT, read(forged.reader()), "the forged body was never seen; the origin's was");
    assertEquals(1, asked.get("/origin/bad.m4s").get());
    forged.reader().release();
  }
}
