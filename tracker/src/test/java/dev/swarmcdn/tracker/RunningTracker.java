package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.tracker.cluster.ClusterMember;
import dev.swarmcdn.tracker.cluster.ClusterSettings;
import dev.swarmcdn.tracker.cluster.ClusteredState;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A tracker started for a test on its own Vert.x, and the peers connected to it from another Vert.x,
 * as they would be from other processes.
 */
final class RunningTracker implements AutoCloseable {

  private final Vertx serverVertx;
  private final Observability observability;
  private final TrackerServer server;
  private final Vertx clientVertx = Vertx.vertx();
  private final WebSocketClient client;
  private final List<TestSocket> peers = new ArrayList<>();
  private ClusterMember clusterMember;

  private RunningTracker(Vertx serverVertx, Observability observability, TrackerServer server) {
    this.serverVertx = serverVertx;
    this.observability = observability;
    this.server = server;
    // Frames as large as a test wants to send: the tracker's limits are what is under test.
    this.client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20));
  }

  /** {@code config} with port 0: any free port. */
  static RunningTracker start(TrackerConfig.Builder config) throws Exception {
    return start(config, System::currentTimeMillis);
  }

  /** With {@code nowMillis} as the clock of edge heartbeats, so a test moves time instead of waiting. */
  static RunningTracker start(TrackerConfig.Builder config, LongSupplier nowMillis) throws Exception {
    Observability observability = Observability.create();
    Vertx vertx = observability.newVertx(new VertxOptions());
    TrackerConfig built = config.port(0).build();
    TrackerServer server = new TrackerServer(vertx, built, observability, TrackerState.local(built, nowMillis), nowMillis).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new RunningTracker(vertx, observability, server);
  }

  /** A tracker of a cluster: swarm state shared with every other member of {@code cluster}. */
  static RunningTracker startClustered(TrackerConfig.Builder config, ClusterSettings cluster) throws Exception {
    Observability observability = Observability.create();
    ClusterMember member = ClusterMember.join(cluster, observability)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    TrackerConfig built = config.port(0).build();
    TrackerState state = ClusteredState.create(member, built, System::currentTimeMillis);
    TrackerServer server = new TrackerServer(member.vertx(), built, observability, state, System::currentTimeMillis).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RunningTracker tracker = new RunningTracker(member.vertx(), observability, server);
    tracker.clusterMember = member;
    return tracker;
  }

  /**
   * Ends this instance's cluster membership as a crash would: no goodbye, no leave for its peers,
   * whose connections stay open. Close it afterwards as usual.
   */
  void crashClusterMember() {
    clusterMember.hazelcast().getLifecycleService().terminate();
  }

  /** This instance's id in its cluster. */
  String clusterNode() {
    return clusterMember.hazelcast().getCluster().getLocalMember().getUuid().toString();
  }

  TestPeer peer() throws Exception {
    return peer(Map.of());
  }

  TestPeer peer(Map<String, String> handshakeHeaders) throws Exception {
    TestPeer peer = TestPeer.connect(client, server.port(), handshakeHeaders);
    peers.add(peer);
    return peer;
  }

  /** A WebTorrent client announcing at {@code path}. */
  WebTorrentClient webTorrent(String path) throws Exception {
    WebTorrentClient client = WebTorrentClient.connect(this.client, server.port(), path);
    peers.add(client);
    return client;
  }

  WebTorrentClient webTorrent() throws Exception {
    return webTorrent(TrackerServer.WEBTORRENT_PATH);
  }

  /** A peer that the tracker sees at {@code address}, through a trusted proxy on 127.0.0.1. */
  TestPeer peerAt(String address) throws Exception {
    return peer(Map.of("X-Forwarded-For", address));
  }

  TrackerServer server() {
    return server;
  }

  Vertx clientVertx() {
    return clientVertx;
  }

  MeterRegistry registry() {
    return observability.registry();
  }

  /** Error frames of our protocol sent with this code. */
  double errors(String code) {
    return errors(TrackerMetrics.OURS, code);
  }

  double errors(String protocol, String code) {
    return registry().get("tracker.errors").tag("protocol", protocol).tag("code", code).counter().count();
  }

  /** Connections of our protocol the tracker closed for this reason. */
  double disconnects(String reason) {
    return disconnects(TrackerMetrics.OURS, reason);
  }

  double disconnects(String protocol, String reason) {
    return registry().get("tracker.disconnects").tag("protocol", protocol).tag("reason", reason).counter().count();
  }

  /** A gauge of our protocol. */
  double gauge(String name) {
    return gauge(TrackerMetrics.OURS, name);
  }

  double gauge(String protocol, String name) {
    return registry().get(name).tag("protocol", protocol).gauge().value();
  }

  @Override
  public void close() throws Exception {
    for (TestSocket peer : peers) {
      peer.close();
    }
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // Close Vert.x from this thread: a callback chained on it would be scheduled on a dead loop.
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
