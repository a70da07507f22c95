package dev.swarmcdn.peer.testing;

import dev.swarmcdn.edge.EdgeConfig;
import dev.swarmcdn.edge.EdgeServer;
import dev.swarmcdn.edge.IceConfig;
import dev.swarmcdn.edge.SeederConfig;
import dev.swarmcdn.edge.registration.TrackerLink;
import dev.swarmcdn.kit.http.PlayerPage;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.tracker.RoutingConfig;
import dev.swarmcdn.tracker.TrackerConfig;
import dev.swarmcdn.tracker.TrackerServer;
import dev.swarmcdn.tracker.TurnConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real system on 127.0.0.1 for the engine's tests: an origin with a live stream {@code demo}
 * packaged by ffmpeg (one small rendition, so tests are light), a tracker, and one edge (or two) in
 * front of the origin registered with it. Every part on a free port, each on its own Vert.x.
 */
public final class LiveStack implements AutoCloseable {
  public static final String STREAM = "demo";
  /** The tracker's registry is closed: the edge registers with this secret. */
  private static final String EDGE_SECRET = "peer-tests-edge-secret";
  private final List<Vertx> vertxes = new ArrayList<>();
  /** The viewers' Vert.x (Java peer engines of the tests), apart from the servers'; closed with the stack. */
  private final Vertx viewers = Vertx.vertx();
  private final String publicHost;
  private final boolean seeder;
  private final int edgeCount;
  private final TurnConfig turn;
  private OriginServer origin;
  private TrackerServer tracker;
  /** Trackers started by {@link #startAnotherTracker()}, each on its own Vert.x. */
  private final List<TrackerServer> moreTrackers = new ArrayList<>();
  /** edge-1, edge-2, ...: the first is {@link #edge}. */
  private final List<EdgeServer> edges = new ArrayList<>();
  private EdgeServer edge;

  private LiveStack(String publicHost, boolean seeder, int edgeCount, TurnConfig turn) {
    this.publicHost = publicHost;
    this.seeder = seeder;
    this.edgeCount = edgeCount;
    this.turn = turn;
  }

  public static LiveStack start(Path dir) throws Exception {
    return start(dir, null, false, 1, TurnConfig.NONE);
  }

  /** As {@link #start(Path)}, with the edge's WebRTC seeder on (the tracker steers, as by default). */
  public static LiveStack startWithSeeder(Path dir) throws Exception {
    return start(dir, null, true, 1, TurnConfig.NONE);
  }

  /** As {@link #start(Path)}, with two edges, edge-1 and edge-2, both registered with the tracker. */
  public static LiveStack startWithTwoEdges(Path dir) throws Exception {
    return start(dir, null, false, 2, TurnConfig.NONE);
  }

  /**
   * As {@link #start(Path)}, with the edge deployed as on a real network, where browsers and Java
   * peers meet: it listens on every address and tells viewers {@code publicHost} (an address of
   * this machine's network interface, not loopback), in its URL and in its ICE servers: its own
   * STUN endpoint, which the tracker's {@code /route} hands out. It serves the web player at
   * {@code /player/} (the web-player jar is on the test class path), and the stream has two
   * renditions.
   */
  public static LiveStack startWithPublicEdge(Path dir, String publicHost) throws Exception {
    return startWithPublicEdge(dir, publicHost, TurnConfig.NONE);
  }

  /** As {@link #startWithPublicEdge(Path, String)}, the tracker's {@code /route} handing out {@code turn}'s relay. */
  public static LiveStack startWithPublicEdge(Path dir, String publicHost, TurnConfig turn) throws Exception {
    return start(dir, java.util.Objects.requireNonNull(publicHost), false, 1, turn);
  }

  private static LiveStack start(Path dir, String publicHost, boolean seeder, int edgeCount, TurnConfig turn)
      throws Exception {
    LiveStack stack = new LiveStack(publicHost, seeder, edgeCount, turn);
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
        .withPort(0).withLive(List.of(STREAM)).withLadder(Rendition.parseLadder(publicHost == null
            ? "360p:640x360:800"
            // Browsers need two renditions: with one, ffmpeg leaves the %v of the init segment's
            // name unreplaced (init_e1_%v.mp4), which no player can fetch. 360p first: what the
            // Java viewers play.
            : "360p:640x360:600,180p:320x180:200"), 30);
    origin = new OriginServer(originVertx, config, originMetrics, router -> { });
    await(origin.start());

    tracker = newTracker();
    await(tracker.start());

    for (int i = 1; i <= edgeCount; i++) {
      EdgeServer started = newEdge("edge-" + i);
      edges.add(started);
      await(started.start());
      await(started.registeredWithTracker());
    }
    edge = edges.get(0);
  }

  /** A tracker on a free port and a Vert.x of its own, its registry open to this stack's edges. */
  private TrackerServer newTracker() {
    Observability trackerMetrics = Observability.create();
    Vertx trackerVertx = trackerMetrics.newVertx(new VertxOptions());
    vertxes.add(trackerVertx);
    return new TrackerServer(trackerVertx, TrackerConfig.builder().port(0)
        .routing(RoutingConfig.builder().edgeSecret(EDGE_SECRET).origin(origin.baseUrl()).turn(turn).build()).build(),
        trackerMetrics);
  }

  private EdgeServer newEdge(String id) {
    Observability edgeMetrics = Observability.create();
    Vertx edgeVertx = edgeMetrics.newVertx(new VertxOptions());
    vertxes.add(edgeVertx);
    EdgeConfig.Builder edgeConfig = EdgeConfig.builder(origin.baseUrl()).id(id).port(0)
        .tracker(TrackerLink.to(tracker.baseUrl()).withSecret(EDGE_SECRET))
        .seeder(seeder ? SeederConfig.on() : SeederConfig.OFF);
    if (publicHost == null) {
      return new EdgeServer(edgeVertx, edgeConfig.build(), edgeMetrics, router -> { });
    }
    // STUN on any free UDP port.
    return new EdgeServer(edgeVertx, edgeConfig.host("0.0.0.0")
        .ice(new IceConfig(0, 1500, publicHost, List.of(), null, null)).build(), edgeMetrics, PlayerPage::mount);
  }

  /** Starts another tracker, with no edges and nothing shared with the first; closed with the stack. */
  public String startAnotherTracker() throws Exception {
    TrackerServer another = newTracker();
    moreTrackers.add(another);
    await(another.start());
    return another.webSocketUrl();
  }

  /** Stops the first tracker, as if it died: its viewers' connections close. */
  public void stopTracker() throws Exception {
    await(tracker.stop());
  }

  /** The base URL of edge {@code id} (edge-1, edge-2, ...). */
  public String edgeUrl(String id) {
    return edgeNamed(id).baseUrl();
  }

  /** Stops edge {@code id} (it deregisters, then closes its connections), as if it died mid-session. */
  public void stopEdge(String id) throws Exception {
    await(edgeNamed(id).stop());
  }

  private EdgeServer edgeNamed(String id) {
    return edges.get(Integer.parseInt(id.substring("edge-".length())) - 1);
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

  /**
   * Waits, 30 s at most, until the live stream's first rendition on the edge lists {@code segments}
   * segments: where a player starts. Right after {@link #start}, ffmpeg has published none yet, and a
   * test whose viewers play for a few seconds would spend them waiting for the stream.
   */
  public void awaitLiveWindow(int segments) {
    HttpClient http = HttpClient.newHttpClient();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> segmentsListed(http) >= segments);
  }

  private long segmentsListed(HttpClient http) throws Exception {
    URI master = URI.create(masterUrl());
    HttpResponse<String> variants = http.send(HttpRequest.newBuilder(master).build(), BodyHandlers.ofString());
    String first = variants.statusCode() != 200 ? null
        : variants.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).findFirst().orElse(null);
    if (first == null) {
      return 0;
    }
    HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(master.resolve(first)).build(), BodyHandlers.ofString());
    return playlist.statusCode() != 200 ? 0 : playlist.body().lines().filter(line -> line.startsWith("#EXTINF")).count();
  }

  /** The Vert.x the tests' Java viewers run on, closed first by {@link #close}. */
  public Vertx viewers() {
    return viewers;
  }

  @Override
  public void close() {
    try {
      await(viewers.close());
    } catch (Exception ignored) {
      // closing anyway
    }
    List<Future<?>> stops = new ArrayList<>();
    edges.forEach(started -> stops.add(started.stop()));
    if (tracker != null) {
      stops.add(tracker.stop());
    }
    moreTrackers.forEach(started -> stops.add(started.stop()));
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
