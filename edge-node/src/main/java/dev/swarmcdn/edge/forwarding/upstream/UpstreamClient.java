package dev.swarmcdn.edge.forwarding.upstream;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Sends GETs upstream with bounded waits, trying the next upstream of the list when one cannot be
 * reached or answers 5xx before any byte of a body was taken (a GET is idempotent, so a retry is
 * safe). The response is returned with its body not yet read: the caller sets its handlers at once.
 *
 * <p>A response followed by bytes nobody asked for (a body longer than its Content-Length) fails
 * instead of ending ({@link OverrunGuard}).
 *
 * <p>Each upstream has a circuit breaker: after a run of exchanges that got no answer at all it is
 * skipped for a while instead of making every request wait for its timeout, then one request
 * probes it. A 5xx is an answer: it moves on to the next upstream but does not trip the breaker,
 * because the breaker would have to fail the exchange and the response would be lost.
 */
public final class UpstreamClient {

  /** Header that marks a request already forwarded by an edge, so edges never loop. */
  public static final String HOP_HEADER = "X-Swarmcdn-Hop";

  private final Vertx vertx;
  private final HttpClient client;
  private final UpstreamTimeouts timeouts;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final CircuitBreakerOptions breakerOptions = new CircuitBreakerOptions()
      .setMaxFailures(5)
      .setResetTimeout(5_000)
      // Our own timeouts bound each exchange; the breaker only counts outcomes.
      .setTimeout(-1);

  /** @param trust whom it believes over HTTPS (origins and edges with {@code https://} URLs) */
  public UpstreamClient(Vertx vertx, UpstreamTimeouts timeouts, TlsTrust trust) {
    this.vertx = vertx;
    this.timeouts = timeouts;
    this.client = vertx.httpClientBuilder()
        .with(trust.applyTo(new HttpClientOptions()
            .setConnectTimeout((int) timeouts.connect().toMillis())
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)))
        .with(new PoolOptions().setHttp1MaxSize(256))
        .withConnectHandler(OverrunGuard::install)
        .build();
  }

  /**
   * @param upstreams  tried in order
   * @param headers    request headers to send (conditionals, hop marker)
   */
  public Future<HttpClientResponse> get(List<Upstream> upstreams, String pathAndQuery, MultiMap headers) {
    return attempt(upstreams, 0, pathAndQuery, headers, null);
  }

  private Future<HttpClientResponse> attempt(List<Upstream> upstreams, int index, String pathAndQuery,
      MultiMap headers, Throwable previous) {
    if (index >= upstreams.size()) {
      return Future.failedFuture(previous == null ? new IllegalStateException("no upstream") : previous);
    }
    Upstream upstream = upstreams.get(index);
    CircuitBreaker breaker = breakers.computeIfAbsent(upstream.name(), name ->
        CircuitBreaker.create("upstream " + name, vertx, breakerOptions));
    return breaker.<HttpClientResponse>execute(promise ->
            once(upstream, pathAndQuery, headers).onComplete(promise))
        .transform(outcome -> {
      boolean last = index == upstreams.size() - 1;
      if (outcome.succeeded()) {
        HttpClientResponse response = outcome.result();
        if (response.statusCode() >= 500 && !last) {
          response.request().reset();
          return attempt(upstreams, index + 1, pathAndQuery, headers, null);
        }
        return Future.succeededFuture(response);
      }
      return last ? Future.failedFuture(outcome.cause())
          : attempt(upstreams, index + 1, pathAndQuery, headers, outcome.cause());
    });
  }

  private Future<HttpClientResponse> once(Upstream upstream, String pathAndQuery, MultiMap headers) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(upstream.host())
        .setPort(upstream.port())
        .setSsl(upstream.tls())
        .setURI(upstream.uri(pathAndQuery))
        .setConnectTimeout(timeouts.connect().toMillis())
        .setIdleTimeout(timeouts.idle().toMillis())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
    Promise<HttpClientResponse> head = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeouts.firstByte().toMillis(), id -> {
      if (head.tryFail(new TimeoutException(
          "no response from " + upstream.name() + " within " + timeouts.firstByte().toMillis() + " ms"))
          && sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(options)
        .compose(request -> {
          sent[0] = request;
          return request.send();
        })
        .onComplete(outcome -> {
          vertx.cancelTimer(timer);
          if (outcome.succeeded()) {
            HttpClientResponse response = outcome.result();
            // Hold the body until the caller sets its handlers; resumed by the fill.
            response.pause();
            if (!head.tryComplete(response)) {
              response.request().reset();
            }
          } else {
            head.tryFail(outcome.cause());
          }
        });
    return head.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
