package dev.swarmcdn.peer.http;

import dev.swarmcdn.peer.util.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link HttpSource} on Vert.x's HTTP client: one pool of keep-alive connections per engine. */
public final class VertxHttpSource implements HttpSource {
  private static final Pattern CONTENT_RANGE = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$");

  private final HttpClient client;
  private final Clock clock;

  public VertxHttpSource(Vertx vertx, Clock clock) {
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setIdleTimeout(60)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(6));
  }

  @Override
  public Future<Buffer> get(String url) {
    Promise<Buffer> promise = Promise.promise();
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(15_000))
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return response.body().transform(ignored ->
                Future.failedFuture(new HttpError(response.statusCode(), "HTTP " + response.statusCode() + " for " + url)));
          }
          return response.body();
        })
        .onComplete(result -> clock.execute(() -> promise.handle(result)));
    return promise.future();
  }

  @Override
  public Transfer fetchSegment(String url, long from, long knownSize, SegmentProgress progress) {
    Promise<HttpResult> promise = Promise.promise();
    long requestedAt = clock.now();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(10_000);
    if (from > 0) {
      options.putHeader("Range", "bytes=" + from + "-");
    }
    var aborted = new boolean[1];
    var request = client.request(options);
    // The response's handlers are set in this callback, before it may end; what they do runs on
    // the engine's thread.
    request.compose(r -> r.send()).onComplete(sent -> {
      if (sent.succeeded() && !aborted[0]) {
        read(sent.result(), url, from, knownSize, requestedAt, clock.now(), progress, promise, aborted);
        return;
      }
      clock.execute(() -> {
        if (aborted[0]) {
          if (sent.succeeded()) {
            sent.result().request().reset();
          }
          return;
        }
        promise.tryFail(sent.cause());
      });
    });
    return new Transfer() {
      @Override
      public Future<HttpResult> result() {
        return promise.future();
      }

      @Override
      public void abort() {
        aborted[0] = true;
        if (request.succeeded()) {
          request.result().reset();
        }
        promise.tryFail(new HttpError(0, "aborted"));
      }
    };
  }

  private void read(HttpClientResponse response, String url, long from, long knownSize, long requestedAt,
      long firstByteAt, SegmentProgress progress, Promise<HttpResult> promise, boolean[] aborted) {
    int status = response.statusCode();
    if (status != 200 && status != 206) {
      response.request().reset();
      clock.execute(() -> promise.tryFail(new HttpError(status, "HTTP " + status + " for " + url)));
      return;
    }
    boolean ranged = status == 206;
    long[] range = ranged ? contentRange(response.getHeader(HttpHeaders.CONTENT_RANGE)) : null;
    if (range != null && (range[0] != from || (knownSize >= 0 && range[1] >= 0 && range[1] != knownSize))) {
      response.request().reset();
      UnusableRange unusable = new UnusableRange(206, url + ": asked for bytes " + from + "- of " + knownSize
          + ", got " + range[0] + "- of " + range[1], range[1] >= 0 ? range[1] : null);
      clock.execute(() -> promise.tryFail(unusable));
      return;
    }
    long total = ranged ? (range != null && range[1] >= 0 ? range[1] : knownSize)
        : parseLength(response.getHeader(HttpHeaders.CONTENT_LENGTH));
    long expected = total < 0 ? -1 : total - (ranged ? from : 0);
    if (expected > MAX_BODY_BYTES) {
      response.request().reset();
      clock.execute(() -> promise.tryFail(new HttpError(status, url + ": " + expected
          + " bytes is more than a segment may have")));
      return;
    }
    BodyBuffer body = new BodyBuffer(expected);
    response.handler(chunk -> clock.execute(() -> {
      if (aborted[0]) {
        return;
      }
      if (body.size() + chunk.length() > MAX_BODY_BYTES) {
        response.request().reset();
        promise.tryFail(new HttpError(status, url + ": body past " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      body.append(chunk);
      progress.progress(body.size(), expected);
    }));
    response.exceptionHandler(e -> clock.execute(() -> promise.tryFail(e)));
    response.endHandler(ignored -> clock.execute(() -> {
      if (aborted[0] || promise.future().isComplete()) {
        return;
      }
      byte[] data = body.bytes();
      if (!ranged && from > 0) {
        // A server that ignored the Range header sent the whole segment.
        if (knownSize >= 0 && data.length != knownSize) {
          promise.tryFail(new UnusableRange(200, url + ": " + data.length + " bytes, not " + knownSize,
              (long) data.length));
          return;
        }
        data = java.util.Arrays.copyOfRange(data, (int) Math.min(from, data.length), data.length);
      }
      long whole = ranged ? total : from + data.length;
      if (ranged && range == null && (whole < 0 || from + data.length != whole)) {
        promise.tryFail(new UnusableRange(206, url + ": a 206 without a readable Content-Range, " + data.length
            + " bytes", null));
        return;
      }
      if (whole < 0 || from + data.length != whole) {
        promise.tryFail(new HttpError(status, "short body for " + url));
        return;
      }
      promise.tryComplete(new HttpResult(data, whole, requestedAt, firstByteAt, clock.now()));
    }));
  }

  @Override
  public void close() {
    client.close();
  }

  /** {start, total} of {@code bytes START-END/TOTAL} (total -1 for {@code *}); null when unreadable. */
  static long[] contentRange(String header) {
    if (header == null) {
      return null;
    }
    Matcher match = CONTENT_RANGE.matcher(header.trim());
    if (!match.matches()) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(match.group(1)), "*".equals(match.group(3)) ? -1 : Long.parseLong(match.group(3))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * An answer's body: written straight into one array of the announced length (a segment is then
   * never copied), grown by doubling when the length is unknown or wrong.
   */
  private static final class BodyBuffer {
    private byte[] bytes;
    private int size;

    BodyBuffer(long expected) {
      bytes = new byte[expected > 0 ? (int) expected : 64 * 1024];
    }

    void append(Buffer chunk) {
      int length = chunk.length();
      if (size + length > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
      }
      chunk.getBytes(0, length, bytes, size);
      size += length;
    }

    int size() {
      return size;
    }

    byte[] bytes() {
      return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
    }
  }
}
