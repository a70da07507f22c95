package dev.swarmcdn.origin;

import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.kit.run.ShutdownHook;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cdn origin}: runs the HLS origin until stopped. */
@Command(name = "origin", mixinStandardHelpOptions = true,
    description = {
        "Publishes HLS: on-demand content from a media folder under /vod/, and live streams packaged",
        "by a supervised ffmpeg under /live/NAME/, each with signed integrity manifests.",
        "",
        "Every option can also be set as an environment variable CDN_ORIGIN_<OPTION> (e.g.",
        "CDN_ORIGIN_PORT=9000) or in the YAML file given by --config (key origin.<option>).",
        "Flags win over the environment, which wins over the file."})
public final class OriginCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
      description = "Folder of on-demand HLS content, served under /vod/ (default: ${DEFAULT-VALUE}).")
  Path mediaRoot;

  @Option(names = "--data-dir", defaultValue = "data/origin", paramLabel = "DIR",
      description = "Working folder for live output and the signing key (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--live", split = ",", paramLabel = "NAME",
      description = "Run a live stream with this name (repeatable or comma-separated).")
  List<String> live = List.of();

  @Option(names = "--live-source", defaultValue = "testsrc", paramLabel = "testsrc|FILE",
      description = "Live source: a generated test pattern with clock and tone, or a media file to loop (default: ${DEFAULT-VALUE}).")
  String liveSource;

  @Option(names = "--ladder", defaultValue = Rendition.DEFAULT_LADDER, paramLabel = "NAME:WxH:KBPS,...",
      description = "Live ABR ladder, highest first (default: ${DEFAULT-VALUE}).")
  String ladder;

  @Option(names = "--segment-seconds", defaultValue = "2", description = "Live segment duration (default: ${DEFAULT-VALUE}).")
  int segmentSeconds;

  @Option(names = "--window", defaultValue = "6", description = "Segments in a live playlist (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--grace-seconds", defaultValue = "30",
      description = "Seconds a segment stays on disk after leaving the window (default: ${DEFAULT-VALUE}).")
  int graceSeconds;

  @Option(names = "--frame-rate", defaultValue = "30", description = "Frame rate of the generated source (default: ${DEFAULT-VALUE}).")
  int frameRate;

  @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg executable (default: ${DEFAULT-VALUE}).")
  String ffmpeg;

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "PKCS#8 Ed25519 key for integrity manifests; created if missing (default: DATA-DIR/keys/integrity-ed25519.pk8).")
  Path signingKey;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Certificate (then any intermediates) to serve HTTPS with, instead of plain HTTP; needs --tls-key. Reloaded when the file changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "Private key of --tls-cert (PKCS#8, or PKCS#1 RSA, or SEC1 EC). Reloaded when the file changes.")
  Path tlsKey;

  public OriginConfig config() {
    return new OriginConfig(host, port, mediaRoot, dataDir, live, liveSource,
        Rendition.parseLadder(ladder), segmentSeconds, window, graceSeconds, frameRate, ffmpeg,
        signingKey, TlsFiles.of(tlsCert, tlsKey));
  }

  @Override
  public Integer call() throws Exception {
    OriginConfig config = config();
    String vod = OriginInputs.check(config);
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    OriginServer origin = new OriginServer(vertx, config, observability, null)
        .start().toCompletionStage().toCompletableFuture().get();
    System.out.println("origin listening on " + origin.baseUrl());
    for (String stream : config.liveStreams()) {
      System.out.println("  live: " + origin.baseUrl() + "/live/" + stream + "/master.m3u8");
    }
    System.out.println("  vod:  " + origin.baseUrl() + "/vod/  (" + vod + ")");
    ShutdownHook.awaitExit(List.of(new ShutdownHook.Part("origin", vertx, origin::stop)));
    return 0;
  }
}
