package dev.swarmcdn.edge.forwarding;

import dev.swarmcdn.edge.forwarding.EdgeMetrics.CacheStatus;
import dev.swarmcdn.edge.forwarding.cache.StoredHeaders;
import dev.swarmcdn.edge.forwarding.cache.StoredResponse;
import dev.swarmcdn.edge.forwarding.fill.BodyProgress;
import dev.swarmcdn.edge.forwarding.fill.BodyStreamer;
import dev.swarmcdn.edge.forwarding.fill.Fill;
import dev.swarmcdn.edge.forwarding.fill.SendSlots;
import dev.swarmcdn.kit.http.Answer;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Writes the proxy's answers: from a stored response, from a fill as it arrives, or the edge's own
 * errors. What a request selects of a representation (304/412, 206/416, HEAD) is server-kit's
 * {@link Answer}; the upstream's end-to-end headers, Age and X-Cache are the edge's.
 */
final class ProxyAnswers {

  private final LongSupplier clock;
  private final EdgeMetrics metrics;
  private final SendSlots slots = new SendSlots(SendSlots.PER_LOOP, SendSlots.STUCK_AFTER);

  ProxyAnswers(LongSupplier clock, EdgeMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
    metrics.watch(slots);
  }

  /** Answers from a stored response. Owns the request's reference on the body. */
  void stored(HttpServerRequest request, Context context, StoredResponse stored, CacheStatus status) {
    metrics.answered(status);
    HttpServerResponse response = request.response();
    response.headers().addAll(stored.headers());
    response.headers().remove("Content-Length");
    response.putHeader("Age", Long.toString(stored.currentAge(clock.getAsLong()) / 1000));
    response.putHeader("X-Cache", status.name());
    metrics.sentFromCache(send(request, context, stored.status(), stored.etag(), stored.lastModified(),
        stored.length(), BodyProgress.complete(stored.body())));
  }

  /**
   * Sends what the request selects of a fill's response as it arrives, whether the cache keeps it
   * or not: ranges and conditionals are answered from this one fetch. Owns the request's reader.
   */
  void streaming(HttpServerRequest request, Context context, Fill.Head head, Fill.Reader reader) {
    metrics.answered(CacheStatus.MISS);
    HttpServerResponse response = request.response();
    response.headers().addAll(StoredHeaders.of(head.headers()));
    response.headers().remove("Content-Length");
    response.putHeader("Age", "0").putHeader("X-Cache", CacheStatus.MISS.name());
    MultiMap upstream = head.headers();
    send(request, context, head.status(), upstream.get("ETag"), upstream.get("Last-Modified"),
        head.contentLength(), reader);
  }

  /** No response from upstream and nothing stored to stand in: 504 for a timeout, else 502. */
  void upstreamFailed(HttpServerRequest request, Throwable cause) {
    metrics.answered(CacheStatus.ERROR);
    boolean timeout = isTimeout(cause);
    plain(request.response(), timeout ? 504 : 502, (timeout ? "upstream timed out" : "upstream unavailable") + "\n");
  }

  static void plain(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body);
  }

  /**
   * Sends what the request selects of a representation once its headers are on the response.
   * Owns the body's reader.
   *
   * @param length  the body length, or -1 while unknown
   * @return the body bytes it sends
   */
  private long send(HttpServerRequest request, Context context, int status, String etag,
      String lastModified, long length, BodyProgress body) {
    Answer answer = Answer.decide(request.method(), request.headers(), status, etag, lastModified, length);
    HttpServerResponse response = answer.writeHead(request.response());
    if (!answer.sendsBody()) {
      response.end();
      body.release();
      return 0;
    }
    long to = answer.length() < 0 ? -1 : answer.first() + answer.length();
    new BodyStreamer(context, slots, response, body, answer.first(), to).start();
    return Math.max(0, answer.length());
  }

  private static boolean isTimeout(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
      return true;
    }
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage().toLowerCase();
    return message.contains("timeout") || message.contains("timed out");
  }
}
