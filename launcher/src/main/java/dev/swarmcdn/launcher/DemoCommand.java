package dev.swarmcdn.launcher;

import dev.swarmcdn.kit.run.ShutdownHook;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cdn demo}: runs {@link Demo} until Ctrl-C and prints the URLs to open. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Runs the whole system on this machine: the origin with a generated live stream 'demo'",
        "(two renditions, 2 s segments), a tracker, two edges in front of the origin that register with",
        "the tracker (GET /route names one for a viewer), a TURN relay when coturn is installed",
        "(turnserver; /route hands each viewer its own credentials), and the player page; then",
        "prints the URLs to open. Ctrl-C stops everything, ffmpeg included.",
        "With --tls, everything runs over HTTPS and WSS with a certificate made at start (openssl).",
        "Options may also come from CDN_DEMO_<OPTION> or the key demo.<option> of --config FILE."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Option(names = "--port", defaultValue = "8080",
      description = "Origin port; the edges take the next two, the tracker this plus 10 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "data/demo", paramLabel = "DIR",
      description = "Working folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
      description = "On-demand content served under /vod/ (default: ${DEFAULT-VALUE}).")
  Path mediaRoot;

  @Option(names = "--tls",
      description = "Serve HTTPS and WSS: a CA of the demo's own (DATA-DIR/tls/demo-ca.pem, kept across runs) signs a "
          + "certificate for localhost and 127.0.0.1 made at start.")
  boolean tls;

  @Option(names = "--host", paramLabel = "HOST",
      description = "A name or address of this machine that other machines reach it by: the tracker and the edges listen "
          + "on every interface and hand out URLs with HOST (default: this machine only, 127.0.0.1).")
  String host;

  @Override
  public Integer call() throws Exception {
    OriginConfig origin = Demo.defaultOrigin(port, dataDir, mediaRoot);
    OriginInputs.check(origin);
    DemoTls certificates = tls ? DemoTls.prepare(dataDir.resolve("tls"), host == null ? List.of() : List.of(host)) : null;
    Demo demo = Demo.start(origin, List.of(port + 1, port + 2), port + 10, certificates, host);
    String stunHost = host == null ? "127.0.0.1" : host;
    String topRendition = origin.ladder().get(0).name();
    System.out.println();
    System.out.println("swarmcdn demo is running. Open:");
    System.out.println("  player:          " + demo.playerUrl());
    System.out.println("  master playlist: " + demo.masterPlaylistUrl(demo.edgeUrls().get(0)) + "  (through edge-1)");
    System.out.println("  origin:          " + demo.masterPlaylistUrl(demo.originUrl()));
    System.out.println("  integrity:       " + demo.edgeUrls().get(0) + "/live/" + Demo.STREAM + "/" + topRendition
        + "/index.integrity.json");
    System.out.println("  edges:           " + String.join("  ", demo.edgeUrls()));
    System.out.println("  STUN (UDP):      " + String.join("  ", demo.edges().stream()
        .map(edge -> stunHost + ":" + edge.stunPort()).toList()));
    System.out.println("  tracker:         " + demo.tracker().viewerWebSocketUrl() + "  (peers join swarms here)");
    System.out.println("  TURN relay:      " + demo.relay().describe());
    System.out.println("  route:           " + demo.routeUrl() + "  (which edge a viewer loads from)");
    System.out.println("  edge registry:   " + demo.tracker().viewerBaseUrl() + "/edges  (edges, their load and state;"
        + " closed: send Authorization: Bearer " + demo.edgeSecret() + ", made for this run)");
    System.out.println("  operations:      /health /ready /metrics on every server");
    if (certificates != null) {
      System.out.println("  TLS CA:          " + certificates.ca().cert().toAbsolutePath()
          + "  (signed every server's certificate: trust it in the browser, or start Chromium with"
          + " --ignore-certificate-errors-spki-list=" + certificates.spkiHash() + "; cdn peer takes it as --tls-ca)");
    }
    System.out.println("The live stream needs a few seconds to fill its window. Ctrl-C stops everything.");
    ShutdownHook.awaitExit(demo.parts());
    return 0;
  }
}
