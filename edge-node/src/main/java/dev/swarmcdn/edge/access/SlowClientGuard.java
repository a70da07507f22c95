package dev.swarmcdn.edge.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts off connections that do not complete a request head in time. The idle timeout alone lets a
 * slowloris client keep a connection by trickling one header byte at a time; this bounds the time
 * from connect to the first complete request, whatever trickles in meanwhile. Since it sees every
 * connection open and close, it also counts the open ones ({@code edge_client_connections}): the
 * load the edge reports to the tracker.
 */
public final class SlowClientGuard implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();
  private final Counter cutOff;
  private final AtomicInteger open = new AtomicInteger();

  public SlowClientGuard(Vertx vertx, Duration headerTimeout, MeterRegistry registry) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeout.toMillis();
    this.cutOff = Counter.builder("edge_slow_clients_closed_total")
        .description("Connections closed for not sending a request head in time").register(registry);
    Gauge.builder("edge_client_connections", open, AtomicInteger::get)
        .description("Open client connections").register(registry);
  }

  /** Client connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** For {@code HttpServer.connectionHandler}: starts the clock on a new connection. */
  public void connected(HttpConnection connection) {
    long timer = vertx.setTimer(headerTimeoutMs, id -> {
      if (waiting.remove(connection) != null) {
        cutOff.increment();
        connection.close();
      }
    });
    waiting.put(connection, timer);
    open.incrementAndGet();
    connection.closeHandler(ignored -> {
      open.decrementAndGet();
      Long pending = waiting.remove(connection);
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
    });
  }

  /** First handler of every request: its head is complete, the connection is no longer suspect. */
  @Override
  public void handle(RoutingContext ctx) {
    Long pending = waiting.remove(ctx.request().connection());
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
    ctx.next();
  }
}
