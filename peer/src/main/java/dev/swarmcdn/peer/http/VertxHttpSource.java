package dev.swarmcdn.peer.http;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.util.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.function.Consumer;

/**
 * {@link HttpSource} on Vert.x's HTTP client: one pool of keep-alive connections per engine. A
 * request whose connection the server closed before any answer (it closes keep-alive connections
 * idle for a while, and a request can cross that close) is sent once more, on another connection
 * (the closed one left the pool), as browsers do: every request here is a GET, which RFC 9112
 * (9.3.1) lets a client retry.
 */
public final class VertxHttpSource implements HttpSource {

  private final HttpClient client;
  private final Clock clock;

  /** @param trust whom it believes over HTTPS */
  public VertxHttpSource(Vertx vertx, Clock clock, TlsTrust trust) {
    this.clock = clock;
    this.client = vertx.createHttpClient(trust.applyTo(new HttpClientOptions().setConnectTimeout(10_000).setIdleTimeout(60)
        .setKeepAlive(true)), new PoolOptions().setHttp1MaxSize(6));
  }

  @Override
  public Future<Buffer> get(String url) {
    Promise<Buffer> promise = Promise.promise();
    send(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(15_000), request -> { })
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
    HttpClientRequest[] request = new HttpClientRequest[1];
    // The response's handlers are set in this callback, before it may end; what they do runs on
    // the engine's thread.
    send(options, sending -> request[0] = sending).onComplete(sent -> {
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
        if (request[0] != null) {
          request[0].reset();
        }
        promise.tryFail(new HttpError(0, "aborted"));
      }
    };
  }

  private void read(HttpClientResponse response, String url, long from, long knownSize, long requestedAt,
      long firstByteAt, SegmentProgress progress, Promise<HttpResult> promise, boolean[] aborted) {
    SegmentAnswer.Head head;
    try {
      head = SegmentAnswer.head(url, response.statusCode(), response.getHeader(HttpHeaders.CONTENT_RANGE),
          parseLength(response.getHeader(HttpHeaders.CONTENT_LENGTH)), from, knownSize);
    } catch (HttpError refused) {
      response.request().reset();
      clock.execute(() -> promise.tryFail(refused));
      return;
    }
    BodyBuffer body = new BodyBuffer(head.expected());
    response.handler(chunk -> clock.execute(() -> {
      if (aborted[0]) {
        return;
      }
      if (body.size() + chunk.length() > MAX_BODY_BYTES) {
        response.request().reset();
        promise.tryFail(new HttpError(head.status(), url + ": body past " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      body.append(chunk);
      progress.progress(body.size(), head.expected());
    }));
    response.exceptionHandler(e -> clock.execute(() -> promise.tryFail(e)));
    response.endHandler(ignored -> clock.execute(() -> {
      if (aborted[0] || promise.future().isComplete()) {
        return;
      }
      try {
        promise.tryComplete(SegmentAnswer.body(url, head, body.bytes(), from, knownSize, requestedAt, firstByteAt,
            clock.now()));
      } catch (HttpError unusable) {
        promise.tryFail(unusable);
      }
    }));
  }

  /** Sends a GET, once more on another connection when the one it went on closed before any answer. */
  private Future<HttpClientResponse> send(RequestOptions options, Consumer<HttpClientRequest> sending) {
    return sendOnce(options, sending).recover(failure -> failure instanceof HttpClosedException
        ? sendOnce(options, sending) : Future.failedFuture(failure));
  }

  private Future<HttpClientResponse> sendOnce(RequestOptions options, Consumer<HttpClientRequest> sending) {
    return client.request(options).compose(request -> {
      sending.accept(request);
      return request.send();
    });
  }

  @Override
  public void close() {
    client.close();
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
