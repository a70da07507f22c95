package dev.swarmcdn.launcher;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole system in one process, on localhost: what {@code ./cdn demo} runs and what its test
 * starts. Each part joins here as its issue lands.
 */
public final class Demo {

  /** The live stream the demo generates. */
  public static final String STREAM = "demo";

  private final Vertx vertx;
  private final OriginServer origin;

  private Demo(Vertx vertx, OriginServer origin) {
    this.vertx = vertx;
    this.origin = origin;
  }

  /**
   * @param originConfig the origin's settings; the demo adds the live stream and the player page
   */
  public static Future<Demo> start(OriginConfig originConfig) {
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    OriginServer origin = new OriginServer(vertx, originConfig.withLive(List.of(STREAM)), observability,
        router -> router.route("/player/*").handler(StaticHandler.create("player")));
    return origin.start()
        .map(started -> new Demo(vertx, started))
        .recover(failure -> vertx.close().transform(ignored -> Future.failedFuture(failure)));
  }

  public static OriginConfig defaultOrigin(int port, Path dataDir, Path mediaRoot) {
    return OriginConfig.defaults().withDirectories(mediaRoot, dataDir.resolve("origin")).withPort(port);
  }

  public Vertx vertx() {
    return vertx;
  }

  public String baseUrl() {
    return origin.baseUrl();
  }

  public String playerUrl() {
    return baseUrl() + "/player/?src=/live/" + STREAM + "/master.m3u8";
  }

  public String masterPlaylistUrl() {
    return baseUrl() + "/live/" + STREAM + "/master.m3u8";
  }

  /** Stops every part; Vert.x itself is closed by the caller. */
  public Future<Void> stop() {
    return origin.stop();
  }
}
