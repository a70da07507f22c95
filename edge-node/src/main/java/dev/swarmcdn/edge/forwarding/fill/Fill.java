package dev.swarmcdn.edge.forwarding.fill;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.PagedBody;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One upstream fetch of one object, shared by every request that wants it while it runs. The body
 * streams into a {@link PagedBody}; waiters send what has arrived and are woken as more comes, so
 * none waits for the whole object before its first byte.
 *
 * <p>The fill holds one reference on its body; whoever completes it (the cache, storing it, or
 * {@link FillRegistry}, discarding it) takes that reference over. Joiners take their own.
 */
public final class Fill implements BodyProgress {

  /** The upstream's status line and headers, and when the exchange happened. */
  public record Head(int status, MultiMap headers, long contentLength, long requestTime,
      long responseTime) {}

  private final CacheKey key;
  private final PagedBody body;
  private final Promise<Head> head = Promise.promise();
  private final Promise<Void> done = Promise.promise();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final LongSupplier clock;
  private final long requestTime;
  private final long purgeMark;
  private volatile boolean complete;
  private volatile Throwable failure;

  Fill(CacheKey key, ByteBufAllocator allocator, LongSupplier clock, long purgeMark) {
    this.key = key;
    this.body = new PagedBody(allocator);
    this.clock = clock;
    this.requestTime = clock.getAsLong();
    this.purgeMark = purgeMark;
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

  /** Takes over an upstream response whose body is paused; reads it to the end. */
  void receive(HttpClientResponse response) {
    // 304 and 204 carry no body whatever their headers say (RFC 9110 section 6.4.1).
    int status = response.statusCode();
    long length = status == 304 || status == 204 ? 0 : contentLength(response.headers());
    body.expect(length);
    head.complete(new Head(status, response.headers(), length, requestTime,
        clock.getAsLong()));
    response.handler(chunk -> {
      if (failure != null) {
        return;
      }
      body.append(((BufferInternal) chunk).getByteBuf());
      if (length >= 0 && body.published() > length) {
        fail(new TruncatedBodyException(key + ": upstream sent more than its Content-Length " + length));
        response.request().reset();
        return;
      }
      wakeAll();
    });
    response.exceptionHandler(this::fail);
    response.endHandler(ignored -> {
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
    response.resume();
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
}
