package dev.swarmcdn.kit.http.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.swarmcdn.kit.http.JsonReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Per-client HTTP rate limit: a token bucket per client address, answered {@code 429 Too Many
 * Requests} with {@code Retry-After} and {@code Cache-Control: no-store} once a client's bucket is
 * empty. Mount it early in the router, after {@link dev.swarmcdn.kit.http.timeouts.SlowClientGuard}
 * (whose clock must stop for a request answered here as for any other) and before any handler that
 * does work.
 *
 * <p>The operational endpoints ({@link #EXEMPT}) are never limited: load balancers' probes and
 * Prometheus' scrapes come from a few addresses, often one a flood shares, and a probe answered 429
 * would take a busy but healthy server out of rotation just when it is under attack, while the
 * metrics are what shows the flood. They are cheap and answer the same to everyone.
 *
 * <p>State is bounded: a bucket idle for as long as it takes to fill up is forgotten (it is then the
 * same as a fresh one), and at most {@code maxClients} are held; beyond that Caffeine evicts some,
 * which can only hand an evicted client a full bucket again, never refuse anyone early.
 *
 * <p>Refusals are counted in {@code http_server_rate_limited_requests_total{server}}, never logged.
 */
public final class ClientRateLimiter implements Handler<RoutingContext> {

  /** Paths never limited: health, readiness and metrics. */
  public static final Set<String> EXEMPT = Set.of("/health", "/ready", "/metrics");
  /** Clients tracked at once at most: about 100 bytes each. */
  public static final long DEFAULT_MAX_CLIENTS = 100_000;

  /** How a server words a refusal; {@code Retry-After} is already set. */
  @FunctionalInterface
  public interface Refusal {
    void refuse(RoutingContext ctx, long retryAfterSeconds);
  }

  /** One line of text. */
  public static final Refusal TEXT = (ctx, retryAfter) -> ctx.response().setStatusCode(429)
      .putHeader("Content-Type", "text/plain; charset=utf-8")
      .putHeader("Cache-Control", "no-store")
      .end("too many requests: retry after " + retryAfter + " s\n");

  /** The JSON error of our APIs: {@code {"error":"rate_limited","message":...}}. */
  public static final Refusal JSON = (ctx, retryAfter) -> JsonReply.error(ctx, 429, "rate_limited",
      "too many requests from this address; retry after " + retryAfter + " s");

  /** The connection's remote address, for servers that read no forwarding header. */
  public static final Function<RoutingContext, String> REMOTE_ADDRESS = ctx -> {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? "" : remote.hostAddress();
  };

  private final RateLimit limit;
  private final Function<RoutingContext, String> clientOf;
  private final Refusal refusal;
  private final LongSupplier nanoTime;
  private final Cache<String, Bucket> buckets;
  private final Counter limited;

  /**
   * @param server   the server's name, the {@code server} tag of the meters ({@code edge}, {@code tracker})
   * @param clientOf the client's address as this server resolves it
   */
  public ClientRateLimiter(RateLimit limit, Function<RoutingContext, String> clientOf, Refusal refusal,
      MeterRegistry registry, String server) {
    this(limit, clientOf, refusal, registry, server, DEFAULT_MAX_CLIENTS, System::nanoTime);
  }

  ClientRateLimiter(RateLimit limit, Function<RoutingContext, String> clientOf, Refusal refusal,
      MeterRegistry registry, String server, long maxClients, LongSupplier nanoTime) {
    this.limit = limit;
    this.clientOf = clientOf;
    this.refusal = refusal;
    this.nanoTime = nanoTime;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxClients)
        .expireAfterAccess(Duration.ofNanos(limit.enabled() ? Math.max(limit.refillNanos(), 1_000_000_000L) : 1))
        .build();
    this.limited = Counter.builder("http.server.rate.limited.requests")
        .description("Requests answered 429 for going over the per-client rate limit")
        .tag("server", server).register(registry);
    Gauge.builder("http.server.rate.limit.clients", buckets, Cache::estimatedSize)
        .description("Client addresses whose request rate is being tracked")
        .tag("server", server).register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!limit.enabled() || EXEMPT.contains(ctx.request().path())) {
      ctx.next();
      return;
    }
    long retryAfter = take(clientOf.apply(ctx));
    if (retryAfter == 0) {
      ctx.next();
      return;
    }
    limited.increment();
    ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    refusal.refuse(ctx, retryAfter);
  }

  /** Takes a token of {@code client}'s bucket: 0 when there was one, else whole seconds until one. */
  long take(String client) {
    return buckets.get(client, ignored -> new Bucket(limit.burst(), nanoTime.getAsLong()))
        .take(nanoTime.getAsLong(), limit);
  }

  public double refusedCount() {
    return limited.count();
  }

  /** One client's tokens. Its clients' requests may come in on several event loops. */
  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized long take(long now, RateLimit limit) {
      if (now > updated) {
        tokens = Math.min(limit.burst(), tokens + (now - updated) / 1e9 * limit.perSecond());
        updated = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond()));
    }
  }
}
