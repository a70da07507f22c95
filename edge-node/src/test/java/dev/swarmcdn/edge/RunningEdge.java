package dev.swarmcdn.edge;

import dev.swarmcdn.kit.ops.Observability;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/** An edge started for a test on its own Vert.x, with a client pointed at it. */
final class RunningEdge implements AutoCloseable {

  private final Vertx vertx;
  private final EdgeServer server;
  private final EdgeClient client;

  private RunningEdge(Vertx vertx, EdgeServer server) {
    this.vertx = vertx;
    this.server = server;
    this.client = new EdgeClient(server.baseUrl());
  }

  static RunningEdge start(EdgeConfig config) throws Exception {
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    EdgeServer server = new EdgeServer(vertx, config, observability, null).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new RunningEdge(vertx, server);
  }

  EdgeServer server() {
    return server;
  }

  EdgeClient client() {
    return client;
  }

  /** Stops the edge only, leaving its client and Vert.x for {@link #close}: a dead edge in a set. */
  void stopServer() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close();
    // Close Vert.x from this thread: a callback chained on it would be scheduled on a dead loop.
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
