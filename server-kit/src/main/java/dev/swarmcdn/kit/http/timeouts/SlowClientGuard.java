package dev.swarmcdn.kit.http.timeouts;

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
 * Cuts off connections that do not complete a request head in time, for every request of a
 * keep-alive connection. The idle timeout alone lets a slowloris client keep a connection by
 * trickling one header byte at a time; this bounds the time from the moment a connection is ready
 * for a request (it opened, or the previous response ended) to that request's head being complete,
 * whatever trickles in meanwhile. A connection that sends nothing at all is closed after the same
 * time, so the bound costs an honest client nothing. The server's idle timeout then only catches
 * stalls inside a request or a response, and must be {@link #idleTimeoutMs longer}: Vert.x pauses
 * reading a connection that pipelined requests, so a trickle sent after them may not count as
 * activity, and an idle timeout equal to the head deadline would close it first, uncounted.
 *
 * <p>Since it sees every connection open and close, it also counts the open ones
 * ({@code PREFIX_client_connections}): the load the edge reports to the tracker. A connection taken
 * over by another protocol (the tracker's WebSockets) is {@link #forget forgotten}: its new owner
 * times it, and Vert.x no longer tells anyone when it closes.
 */
public final class SlowClientGuard implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long headerTimeoutMs;
  /** The head deadline of each open connection; absent once it closed. */
  private final Map<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();
  private final Counter cutOff;
  private final AtomicInteger open = new AtomicInteger();

  /** @param prefix of the meters' names: the server's ({@code edge}, {@code tracker}) */
  public SlowClientGuard(Vertx vertx, Duration headerTimeout, MeterRegistry registry, String prefix) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeout.toMillis();
    this.cutOff = Counter.builder(prefix + "_slow_clients_closed_total")
        .description("Connections closed for not completing a request head in time after connecting or after a response").register(registry);
    Gauge.builder(prefix + "_client_connections", open, AtomicInteger::get)
        .description("Open client HTTP connections").register(registry);
  }

  /**
   * The idle timeout, in milliseconds, for a server whose head deadline is {@code headerTimeout}:
   * half as long again, so the head deadline always fires first on a connection waiting for a head.
   */
  public static long idleTimeoutMs(Duration headerTimeout) {
    return headerTimeout.toMillis() * 3 / 2;
  }

  /** Client connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** For {@code HttpServer.connectionHandler}: starts the clock on a new connection. */
  public void connected(HttpConnection connection) {
    Deadline deadline = new Deadline(connection);
    deadlines.put(connection, deadline);
    open.incrementAndGet();
    deadline.arm();
    connection.closeHandler(ignored -> forget(connection));
  }

  /**
   * For a connection another protocol took over (a WebSocket): no more head deadlines, and no
   * longer counted. Idempotent.
   */
  public void forget(HttpConnection connection) {
    Deadline deadline = deadlines.remove(connection);
    if (deadline != null) {
      open.decrementAndGet();
      deadline.disarm();
    }
  }

  /**
   * First handler of every request: its head is complete, so the clock stops while it is served,
   * and starts again for the next request once the response ended.
   */
  @Override
  public void handle(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Deadline deadline = deadlines.get(connection);
    if (deadline != null) {
      deadline.requestStarted();
      // Runs when the response ended or the connection closed: only a connection still open re-arms.
      ctx.addEndHandler(ended -> {
        if (deadlines.get(connection) == deadline) {
          deadline.requestEnded();
        }
      });
    }
    ctx.next();
  }

  /**
   * One connection's head deadline. Counts the requests being served, so a pipelined request that
   * starts before the previous one's end handler ran keeps the clock stopped. Touched only on the
   * connection's event loop.
   *
   * <p>The timer is lazy, as Netty's {@code IdleStateHandler} is: a request neither cancels nor
   * sets one, it only stops the clock or notes when the connection was ready again; a timer that
   * fires early looks at that and waits out the rest. A keep-alive connection answering thousands
   * of requests a second so costs one timer per deadline's length, not two timer operations per
   * request.
   */
  private final class Deadline {
    private final HttpConnection connection;
    private long timer = -1;
    private int serving;
    /** {@link System#nanoTime} when the connection was last ready for a request head. */
    private long readySince;

    Deadline(HttpConnection connection) {
      this.connection = connection;
    }

    void requestStarted() {
      serving++;
    }

    void requestEnded() {
      if (--serving == 0) {
        arm();
      }
    }

    void arm() {
      readySince = System.nanoTime();
      if (timer < 0) {
        schedule(headerTimeoutMs);
      }
    }

    private void schedule(long delayMs) {
      timer = vertx.setTimer(delayMs, id -> {
        timer = -1;
        if (serving > 0) {
          return; // the request's end arms it again
        }
        long leftMs = headerTimeoutMs - (System.nanoTime() - readySince) / 1_000_000;
        if (leftMs > 0) {
          schedule(leftMs);
          return;
        }
        cutOff.increment();
        connection.close();
      });
    }

    void disarm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
