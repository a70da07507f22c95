package dev.swarmcdn.edge.forwarding.fill;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.edge.forwarding.cache.PagedBody;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streamer on a real Vert.x server and a real client: whole bodies and ranges of stored ones,
 * bytes sent as they arrive, a body that breaks off resets the connection, and the reader's hold
 * on the body is given back every time.
 */
class BodyStreamerTest {

  private static final byte[] LARGE = random(5 * 1024 * 1024 + 123);

  private final Vertx vertx = Vertx.vertx();
  private volatile SendSlots slots = new SendSlots(SendSlots.PER_LOOP, SendSlots.STUCK_AFTER);
  private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The body the next request streams, and when it starts. */
  private volatile BodyProgress next;
  private volatile long from;
  private volatile long to = -1;
  private final CompletableFuture<Context> serving = new CompletableFuture<>();
  private HttpServer server;

  /** The answer to the request {@link #startStreaming} made. */
  private CompletableFuture<HttpResponse<InputStream>> answer;

  /**
   * Asks for {@code growing} and lets its first bytes ("abc") arrive: the head goes out with them.
   *
   * @return the context the body is served on
   */
  private Context startStreaming(Growing growing) throws Exception {
    next = growing;
    answer = client.sendAsync(get(), HttpResponse.BodyHandlers.ofInputStream());
    Context context = serving.get(10, TimeUnit.SECONDS);
    context.runOnContext(ignored -> growing.append("abc"));
    return context;
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @BeforeEach
  void start() throws Exception {
    // HTTP/1.1 only, as the edge serves it.
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(request -> {
      request.response().setChunked(to < 0);
      if (to >= 0) {
        request.response().putHeader("Content-Length", Long.toString(to - from));
      }
      new BodyStreamer(vertx.getOrCreateContext(), slots, request.response(), next, from, to).start();
      serving.complete(vertx.getOrCreateContext());
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpRequest get() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build();
  }

  private PagedBody stored(byte[] bytes) {
    PagedBody body = new PagedBody(allocator);
    body.expect(bytes.length);
    body.append(Unpooled.wrappedBuffer(bytes));
    return body;
  }

  private void awaitEveryPageBack() {
    await().atMost(Duration.ofSeconds(5)).until(() -> allocator.metric().usedDirectMemory() == 0);
  }

  @Test
  void aStoredBodyGoesOutWholePieceByPieceAndItsReferenceIsGivenBack() throws Exception {
    next = BodyProgress.complete(stored(LARGE));
    HttpResponse<byte[]> response = client.send(get(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertArrayEquals(LARGE, response.body());
    awaitEveryPageBack();
  }

  @Test
  void aRangeSendsExactlyItsBytes() throws Exception {
    next = BodyProgress.complete(stored(LARGE));
    from = 300_000;
    to = 300_000 + 1_000_000;
    HttpResponse<byte[]> response = client.send(get(), HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(Arrays.copyOfRange(LARGE, 300_000, 1_300_000), response.body());
    awaitEveryPageBack();
  }

  @Test
  void bytesGoOutAsTheyArriveAndTheEndFollowsTheBodysEnd() throws Exception {
    Growing growing = new Growing(new PagedBody(allocator));
    Context context = startStreaming(growing);
    HttpResponse<InputStream> response = answer.get(10, TimeUnit.SECONDS);
    try (InputStream in = response.body()) {
      assertEquals("abc", new String(in.readNBytes(3)), "sent before the body is whole");
      context.runOnContext(ignored -> {
        growing.append("def");
        growing.end(null);
      });
      assertEquals("def", new String(in.readAllBytes()));
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(growing.released);
    assertEquals(3, growing.sentUpTo, "told of the write flushed before the end: a pass-through drops it");
  }

  @Test
  void theStatusAndHeadersGoOutBeforeTheFirstByteOfTheBodyArrives() throws Exception {
    Growing growing = new Growing(new PagedBody(allocator));
    next = growing;
    answer = client.sendAsync(get(), HttpResponse.BodyHandlers.ofInputStream());
    Context context = serving.get(10, TimeUnit.SECONDS);
    HttpResponse<InputStream> response = answer.get(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), "answered while the body is still empty");
    try (InputStream in = response.body()) {
      context.runOnContext(ignored -> {
        growing.append("abc");
        growing.end(null);
      });
      assertEquals("abc", new String(in.readAllBytes()));
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(growing.released);
  }

  @Test
  void aBodyThatBreaksOffResetsTheConnection() throws Exception {
    Growing growing = new Growing(new PagedBody(allocator));
    Context context = startStreaming(growing);
    HttpResponse<InputStream> response = answer.get(10, TimeUnit.SECONDS);
    try (InputStream in = response.body()) {
      assertEquals("abc", new String(in.readNBytes(3)));
      context.runOnContext(ignored -> growing.end(new TruncatedBodyException("cut")));
      assertThrows(IOException.class, in::readAllBytes, "a short body is never passed as whole");
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(growing.released);
  }

  @Test
  void aBodyBeyondTheLoopsSlotsWaitsWithItsHeadSentUntilOneIsFree() throws Exception {
    slots = new SendSlots(1, Duration.ofMinutes(1));
    Growing first = new Growing(new PagedBody(allocator));
    Context context = startStreaming(first);
    HttpResponse<InputStream> firstResponse = answer.get(10, TimeUnit.SECONDS);
    try (InputStream firstIn = firstResponse.body()) {
      assertEquals("abc", new String(firstIn.readNBytes(3)), "the first body holds the only slot");
      Growing second = new Growing(new PagedBody(allocator));
      next = second;
      HttpResponse<InputStream> secondResponse =
          client.sendAsync(get(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
      assertEquals(200, secondResponse.statusCode(), "the head goes out while the body waits");
      // Still arriving, so of unknown length: it needs a slot for its bytes.
      context.runOnContext(ignored -> second.append("xyz"));
      await().atMost(Duration.ofSeconds(5)).until(() -> slots.waiting() == 1);
      context.runOnContext(ignored -> first.end(null));
      assertEquals("", new String(firstIn.readAllBytes()));
      try (InputStream secondIn = secondResponse.body()) {
        assertEquals("xyz", new String(secondIn.readNBytes(3)), "sent once the first gave its slot back");
        context.runOnContext(ignored -> second.end(null));
        assertEquals("", new String(secondIn.readAllBytes()));
      }
      assertEquals(0, slots.waiting());
      assertEquals(0, slots.letGo());
    }
  }

  @Test
  void aClientThatStopsReadingHoldsTheOnlySlotNoLongerThanTheStuckTime() throws Exception {
    slots = new SendSlots(1, Duration.ofMillis(20));
    // Larger than what the sockets' buffers on both sides can take while nobody reads.
    byte[] huge = random(24 * 1024 * 1024);
    PagedBody body = stored(huge);
    body.retain();
    next = BodyProgress.complete(body);
    try (Socket stalled = new Socket("127.0.0.1", server.actualPort())) {
      stalled.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      serving.get(10, TimeUnit.SECONDS);
      HttpResponse<byte[]> response =
          client.sendAsync(get(), HttpResponse.BodyHandlers.ofByteArray()).get(30, TimeUnit.SECONDS);
      assertArrayEquals(huge, response.body(), "served in full while the first client reads nothing");
      assertEquals(1, slots.letGo(), "the stalled client was let go of its slot");
    }
    awaitEveryPageBack();
  }

  /** A body still arriving, as a fill's reader sees it; appended and ended on the server's context. */
  private static final class Growing implements BodyProgress {
    private final PagedBody body;
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean complete;
    private volatile Throwable failure;
    private volatile long sentUpTo;

    Growing(PagedBody body) {
      this.body = body;
    }

    void append(String text) {
      body.append(Unpooled.wrappedBuffer(text.getBytes()));
      listeners.forEach(Runnable::run);
    }

    void end(Throwable cause) {
      failure = cause;
      complete = cause == null;
      listeners.forEach(Runnable::run);
    }

    @Override public PagedBody body() {
      return body;
    }

    @Override public boolean complete() {
      return complete;
    }

    @Override public Throwable failure() {
      return failure;
    }

    @Override public void subscribe(Runnable wake) {
      listeners.add(wake);
    }

    @Override public void unsubscribe(Runnable wake) {
      listeners.remove(wake);
    }

    @Override public void sent(long position) {
      sentUpTo = position;
    }

    @Override public void release() {
      released.set(true);
      body.release();
    }
  }
}
