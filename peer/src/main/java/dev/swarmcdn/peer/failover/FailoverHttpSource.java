package dev.swarmcdn.peer.failover;

import dev.swarmcdn.peer.http.HttpError;
import dev.swarmcdn.peer.http.HttpResult;
import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.http.SegmentProgress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * An engine's HTTP with edge failover: each request goes to the current edge
 * ({@link EdgeFailover#rewrite}); one that fails as an edge fails ({@link EdgeFailures}) is reported,
 * and tried once more when the engine is then on another edge. Once only: a request never loops
 * over edges, and the player's own retries come later. Requests elsewhere (the tracker's
 * {@code /route}) pass through untouched.
 */
public final class FailoverHttpSource implements HttpSource {
  private final HttpSource inner;
  private final EdgeFailover edges;

  public FailoverHttpSource(HttpSource inner, EdgeFailover edges) {
    this.inner = inner;
    this.edges = edges;
  }

  @Override
  public Future<Buffer> get(String url) {
    return withRetry(url, inner::get);
  }

  @Override
  public Transfer fetchSegment(String url, long from, long knownSize, SegmentProgress progress) {
    Transfer[] running = new Transfer[1];
    Promise<HttpResult> result = Promise.promise();
    withRetry(url, target -> {
      if (result.future().isComplete()) {
        return Future.failedFuture("aborted");
      }
      running[0] = inner.fetchSegment(target, from, knownSize, progress);
      return running[0].result();
    }).onComplete(outcome -> {
      if (outcome.succeeded()) {
        result.tryComplete(outcome.result());
      } else {
        result.tryFail(outcome.cause());
      }
    });
    return new Transfer() {
      @Override
      public Future<HttpResult> result() {
        return result.future();
      }

      @Override
      public void abort() {
        if (running[0] != null) {
          running[0].abort();
        }
        result.tryFail(new HttpError(0, "aborted"));
      }
    };
  }

  private <T> Future<T> withRetry(String url, Function<String, Future<T>> request) {
    String target = edges.rewrite(url);
    return request.apply(target).recover(failure -> {
      if (!EdgeFailures.isEdgeFailure(failure) || !edges.managed(target)) {
        return Future.failedFuture(failure);
      }
      return edges.failed(target).compose(moved -> {
        if (!moved) {
          return Future.failedFuture(failure);
        }
        String again = edges.rewrite(url);
        return request.apply(again).onFailure(second -> {
          if (EdgeFailures.isEdgeFailure(second) && edges.managed(again)) {
            edges.failed(again); // not tried again: the next request finds the next edge
          }
        });
      });
    });
  }

  @Override
  public void close() {
    inner.close();
  }
}
