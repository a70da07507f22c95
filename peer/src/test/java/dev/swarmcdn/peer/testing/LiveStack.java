package dev.swarmcdn.peer.testing;

import dev.swarmcdn.edge.EdgeConfig;
import dev.swarmcdn.edge.EdgeServer;
import dev.swarmcdn.edge.TrackerLink;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.tracker.RoutingConfig;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real system on 127.0.0.1 for the engine's tests: an origin with a live stream {@code demo}
 * packaged by ffmpeg (one small rendition, so tests are light), a tracker, and one edge in front of
 * the origin registered with it. Every part on a free port, each on its own Vert.x.
 */
public final class LiveStack implements AutoCloseable {
  public static final String STREAM = "demo";
  /** The tracker's registry is closed: the edge registers with this secret. */
  private static final String EDGE_SECRET = "peer-tests-edge-secret";
  private final List<Vertx> vertxes = new ArrayList<>();
  private OriginServer origin;
  private TrackerServer tracker;
  private EdgeServer edge;

  public static LiveStack start(Path dir) throws Exception {
    LiveStack stack = new LiveStack();
    try {
      stack.startAll(dir);
      return stack;
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path dir) throws Exception {
    Observability originMetrics = Observability.create();
    Vertx originVertx = originMetrics.newVertx(new VertxOptions());
    vertxes.add(originVertx);
    OriginConfig config = OriginConfig.defaults().withDirectories(dir.resolve("media"), dir.resolve("origin"))
        .withPort(0).withLive(List.of(STREAM)).withLadder(Rendition.parseLadder("360p:640x360:800"), 30);
    origin = new OriginServer(originVertx, config, originMetrics, router -> { });
    await(origin.start());

    Observability trackerMetrics = Observability.create();
    Vertx trackerVertx = trackerMetrics.newVertx(new VertxOptions());
    vertxes.add(trackerVertx);
    tracker = new TrackerServer(trackerVertx, TrackerConfig.builder().port(0)
        .routing(RoutingConfig.builder().edgeSecret(EDGE_SECRET).origin(origin.baseUrl()).build()).build(),
        trackerMetrics);
    await(tracker.start());

    Observability edgeMetrics = Observability.create();
    Vertx edgeVertx = edgeMetrics.newVertx(new VertxOptions());
    vertxes.add(edgeVertx);
    edge = new EdgeServer(edgeVertx, EdgeConfig.builder(origin.baseUrl()).id("edge-1").port(0)
        .tracker(TrackerLink.to(tracker.baseUrl()).withSecret(EDGE_SECRET)).build(), edgeMetrics, router -> { });
    await(edge.start());
    await(edge.registeredWithTracker());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public String edgeUrl() {
    return edge.baseUrl();
  }

  public String originUrl() {
    return origin.baseUrl();
  }

  public String trackerUrl() {
    return tracker.webSocketUrl();
  }

  public String trackerHttpUrl() {
    return tracker.baseUrl();
  }

  public String routeUrl() {
    return tracker.baseUrl() + "/route";
  }

  /** The master playlist of the live stream on the edge. */
  public String masterUrl() {
    return edge.baseUrl() + "/live/" + STREAM + "/master.m3u8";
  }

  public OriginServer origin() {
    return origin;
  }

  @Override
  public void close() {
    List<Future<?>> stops = new ArrayList<>();
    if (edge != null) {
      stops.add(edge.stop());
    }
    if (tracker != null) {
      stops.add(tracker.stop());
    }
    if (origin != null) {
      stops.add(origin.stop());
    }
    for (Future<?> stop : stops) {
      try {
        await(stop);
      } catch (Exception ignored) {
        // closing anyway
      }
    }
    for (Vertx vertx : vertxes) {
      try {
        await(vertx.close());
      } catch (Exception ignored) {
        // closing anyway
      }
    }
  }
}
