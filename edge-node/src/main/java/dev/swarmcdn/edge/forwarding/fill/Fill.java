package dev.swarmcdn.edge.forwarding.fill;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.PagedBody;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One upstream fetch of one object, shared by every request that wants it while it runs. The body
 * streams into a {@link PagedBody}; each request reads it through its own {@link Reader}, sends
 * what has arrived and is woken as more comes, so none waits for the whole object before its first
 * byte.
 *
 * <p>A body the cache will keep (its {@link Retention} says so) is held whole and read at the pace
 * of each client. Any other body is a pass-through, never held whole: the bytes every reader has
 * sent are dropped, and the upstream is paused while the slowest reader is more than
 * {@value #PASS_THROUGH_WINDOW} bytes behind, so the clients' back-pressure reaches the upstream. A
 * body can become a pass-through on the way, when it passes the largest size kept. Once it dropped
 * bytes nobody joins it any more (they are gone), and when its last reader leaves the upstream
 * exchange is cut.
 *
 * <p>The fill holds one reference on its body; whoever completes it (the cache, storing it, or
 * {@link FillRegistry}, discarding it) takes that reference over. Each reader holds its own.
 */
public final class Fill {

  /** Bytes a pass-through holds beyond what its slowest reader sent before it pauses the upstream. */
  static final long PASS_THROUGH_WINDOW = 1 << 20;

  /** The upstream's status line and headers, and when the exchange happened. */
  public record Head(int status, MultiMap headers, long contentLength, long requestTime,
      long responseTime) {}

  private final CacheKey key;
  private final PagedBody body;
  private final Retention retention;
  private final Promise<Head> head = Promise.promise();
  private final Promise<Void> done = Promise.promise();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final LongSupplier clock;
  private final long requestTime;
  private final long purgeMark;
  private final AtomicBoolean trimScheduled = new AtomicBoolean();
  /** Guarded by this, like {@link #closedToReaders}. */
  private final Set<Reader> readers = new HashSet<>();
  /** A pass-through that dropped bytes, or lost its last reader: nobody can join it. */
  private boolean closedToReaders;
  private volatile boolean keptWhole = true;
  private volatile boolean passThrough;
  private volatile boolean complete;
  private volatile Throwable failure;
  /** Set once the upstream answered: the context its body arrives on, where the window moves. */
  private volatile Context context;
  private HttpClientResponse response;
  private boolean paused;

  Fill(CacheKey key, ByteBufAllocator allocator, LongSupplier clock, long purgeMark, Retention retention) {
    this.key = key;
    this.body = new PagedBody(allocator);
    this.clock = clock;
    this.requestTime = clock.getAsLong();
    this.purgeMark = purgeMark;
    this.retention = retention;
  }

  public CacheKey key() {
    return key;
  }

  /** The purge log's mark before this fill asked upstream: what it got predates later purges. */
  public long purgeMark() {
    return purgeMark;
  }

  /** Completes with the upstream's head, or fails when no response came. */
  public Future<Head> head() {
    return head.future();
  }

  /** Completes when the whole body is in, fails when it never will be. */
  public Future<Void> done() {
    return done.future();
  }

  /** The body; the fill's own reference on it goes to whoever settles the fill. */
  public PagedBody body() {
    return body;
  }

  public Throwable failure() {
    return failure;
  }

  /** Whether the body is kept whole for the cache: its retention allowed it, and it fits. */
  public boolean keptWhole() {
    return keptWhole;
  }

  /** A reader from the first byte, or null when this fill can take no more. */
  synchronized Reader join() {
    if (failure != null || complete || closedToReaders) {
      return null;
    }
    Reader reader = new Reader();
    readers.add(reader);
    body.retain();
    return reader;
  }

  /** Takes over an upstream response whose body is paused; reads it to the end. */
  void receive(HttpClientResponse upstream) {
    // The exchange was started from a request's context, where its body now arrives.
    context = Vertx.currentContext();
    response = upstream;
    // 304 and 204 carry no body whatever their headers say (RFC 9110 section 6.4.1).
    int status = upstream.statusCode();
    long length = status == 304 || status == 204 ? 0 : contentLength(upstream.headers());
    body.expect(length);
    Head answered = new Head(status, upstream.headers(), length, requestTime, clock.getAsLong());
    if (!retention.keepsWhole(answered)) {
      keptWhole = false;
      // Without a body (a 304 confirming a stored copy) there is nothing to pass, or to cut.
      passThrough = length != 0;
    }
    head.complete(answered);
    upstream.handler(chunk -> {
      if (failure != null) {
        return;
      }
      body.append(((BufferInternal) chunk).getByteBuf());
      if (length >= 0 && body.published() > length) {
        fail(new TruncatedBodyException(key + ": upstream sent more than its Content-Length " + length));
        upstream.request().reset();
        return;
      }
      if (keptWhole && body.published() > retention.maxBytes()) {
        keptWhole = false;
        passThrough = true;
      }
      wakeAll();
      trim();
    });
    upstream.exceptionHandler(this::fail);
    upstream.endHandler(ignored -> {
      if (length >= 0 && body.published() != length) {
        fail(new TruncatedBodyException(
            key + ": upstream body ended at " + body.published() + " of " + length + " bytes"));
        return;
      }
      if (failure == null) {
        complete = true;
        done.tryComplete();
        wakeAll();
      }
    });
    upstream.resume();
    trim();
  }

  /**
   * Takes over a response read whole and checked before (a segment from another edge): published
   * at once, complete. Held whole whatever the retention says: it is in memory already.
   */
  void receiveWhole(int status, MultiMap headers, Buffer bytes) {
    context = Vertx.currentContext();
    body.expect(bytes.length());
    Head answered = new Head(status, headers, bytes.length(), requestTime, clock.getAsLong());
    keptWhole = retention.keepsWhole(answered);
    head.complete(answered);
    body.append(((BufferInternal) bytes).getByteBuf());
    complete = true;
    done.tryComplete();
    wakeAll();
  }

  /** No response at all (connect error, timeout), or the body broke off. */
  void fail(Throwable cause) {
    if (complete || failure != null) {
      return;
    }
    failure = cause;
    head.tryFail(cause);
    done.tryFail(cause);
    wakeAll();
  }

  /**
   * Pass-through only, on the fill's context: drops what every reader has sent, pauses or resumes
   * the upstream by how far the slowest reader lags, and cuts it when no reader is left.
   */
  private void trim() {
    if (!passThrough || complete || failure != null) {
      // Once settled the body belongs to whoever settled it: leave it alone.
      return;
    }
    long slowest;
    boolean abandoned;
    synchronized (this) {
      abandoned = readers.isEmpty();
      slowest = body.published();
      for (Reader reader : readers) {
        slowest = Math.min(slowest, reader.sent);
      }
      // Decided with the readers in view: one joining now starts at byte 0, so it must not join
      // a body about to lose its first bytes, or about to be cut.
      closedToReaders |= abandoned || body.discards(slowest);
    }
    if (abandoned) {
      fail(new CancellationException(key + ": no client is left to pass the body to"));
      response.request().reset();
      return;
    }
    body.discardBefore(slowest);
    long lag = body.published() - slowest;
    if (!paused && lag > PASS_THROUGH_WINDOW) {
      paused = true;
      response.pause();
    } else if (paused && lag <= PASS_THROUGH_WINDOW / 2) {
      paused = false;
      response.resume();
    }
  }

  /** From any thread: a reader moved or left; the window follows on the fill's context. */
  private void readerMoved() {
    Context on = context;
    if (passThrough && on != null && trimScheduled.compareAndSet(false, true)) {
      on.runOnContext(ignored -> {
        trimScheduled.set(false);
        trim();
      });
    }
  }

  private static long contentLength(MultiMap headers) {
    String value = headers.get("Content-Length");
    if (value == null || headers.contains("Transfer-Encoding")) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.trim());
      return length >= 0 ? length : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void wakeAll() {
    for (Runnable wake : listeners) {
      wake.run();
    }
  }

  /** One request's hold on the fill: its reference on the body and, for a pass-through, its place. */
  public final class Reader implements BodyProgress {

    private final AtomicBoolean released = new AtomicBoolean();
    private volatile long sent;

    private Reader() {}

    @Override
    public PagedBody body() {
      return body;
    }

    @Override
    public boolean complete() {
      return complete;
    }

    @Override
    public Throwable failure() {
      return failure;
    }

    @Override
    public void subscribe(Runnable wake) {
      listeners.add(wake);
    }

    @Override
    public void unsubscribe(Runnable wake) {
      listeners.remove(wake);
    }

    @Override
    public void sent(long position) {
      sent = position;
      readerMoved();
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) {
        synchronized (Fill.this) {
          readers.remove(this);
        }
        readerMoved();
        body.release();
      }
    }
  }
}
