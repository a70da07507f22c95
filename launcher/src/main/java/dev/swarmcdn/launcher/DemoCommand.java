package dev.swarmcdn.launcher;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdn demo}: everything that exists, on localhost, with embedded defaults and a generated live
 * stream. Stops cleanly (ffmpeg included) on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Runs the whole system on this machine: the origin with a generated live stream 'demo'",
        "(two renditions, 2 s segments) and the player page, then prints the URLs to open.",
        "Options may also come from CDN_DEMO_<OPTION> or the key demo.<option> of --config FILE."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--port", defaultValue = "8080", description = "Origin port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "data/demo", paramLabel = "DIR",
      description = "Working folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
      description = "On-demand content served under /vod/ (default: ${DEFAULT-VALUE}).")
  Path mediaRoot;

  @Override
  public Integer call() throws Exception {
    OriginConfig config = OriginConfig.defaults()
        .withDirectories(mediaRoot, dataDir.resolve("origin"))
        .withPort(port)
        .withLive(List.of("demo"));
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    OriginServer origin = new OriginServer(vertx, config, observability,
        router -> router.route("/player/*").handler(StaticHandler.create("player")))
        .start().toCompletionStage().toCompletableFuture().get();

    String base = origin.baseUrl();
    System.out.println();
    System.out.println("swarmcdn demo is running. Open:");
    System.out.println("  player:          " + base + "/player/?src=/live/demo/master.m3u8");
    System.out.println("  master playlist: " + base + "/live/demo/master.m3u8");
    System.out.println("  integrity:       " + base + "/live/demo/360p/index.integrity.json");
    System.out.println("  metrics:         " + base + "/metrics   (also /health, /ready)");
    System.out.println("The live stream needs a few seconds to fill its window. Ctrl-C stops everything.");
    ShutdownHook.awaitExit(vertx, origin::stop);
    return 0;
  }
}
