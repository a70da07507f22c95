package dev.swarmcdn.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CDN as separate processes on 127.0.0.1 for the chaos suite: an origin with a live stream
 * {@code demo} packaged by ffmpeg (one cheap rendition, 1-second segments, a long window so that
 * what viewers got can still be compared with the origin afterwards), trackers and edges, each a
 * {@link PartProcess}. Each part has a fixed port, so that a part started again after a kill is at
 * the same address (the edges know the origin by URL, the viewers the edges).
 */
final class ChaosStack implements AutoCloseable {
  static final String MASTER_PATH = "/live/demo/master.m3u8";
  /** Given on the command line: these are throwaway test processes. */
  private static final String EDGE_SECRET = "chaos-suite-edge-secret";

  private final Path dir;
  private final int originPort = freePort();
  private PartProcess origin;
  private final Map<String, PartProcess> trackers = new LinkedHashMap<>();
  private final Map<String, PartProcess> edges = new LinkedHashMap<>();
  private final Map<String, Integer> edgePorts = new LinkedHashMap<>();

  ChaosStack(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("media"));
    Files.createDirectories(dir.resolve("logs"));
  }

  /** Starts the origin, or starts it again on the same port and data folder after a kill. */
  PartProcess startOrigin() throws IOException {
    origin = PartProcess.start("origin", List.of(), List.of("origin", "--host", "127.0.0.1",
        "--port", Integer.toString(originPort),
        "--media-root", dir.resolve("media").toString(), "--data-dir", dir.resolve("origin").toString(),
        "--live", "demo", "--ladder", "90p:160x90:100", "--frame-rate", "15",
        "--segment-seconds", "1", "--window", "60", "--grace-seconds", "30"), log("origin"));
    return origin;
  }

  PartProcess origin() {
    return origin;
  }

  String originUrl() {
    return "http://127.0.0.1:" + originPort;
  }

  /** A tracker on its own; its registry takes this stack's edges. */
  PartProcess startTracker(String name) throws IOException {
    return startTracker(name, List.of());
  }

  /**
   * Two trackers forming one Hazelcast cluster (each lists both members), started together since
   * each waits for the cluster to form.
   */
  List<PartProcess> startTrackerCluster(String first, String second) throws IOException {
    int firstPort = freePort();
    int secondPort = freePort();
    String members = "127.0.0.1:" + firstPort + ",127.0.0.1:" + secondPort;
    String clusterName = "chaos-" + ProcessHandle.current().pid() + "-" + firstPort;
    PartProcess a = startTracker(first, List.of("--cluster", "--cluster-name", clusterName,
        "--cluster-port", Integer.toString(firstPort), "--cluster-members", members));
    PartProcess b = startTracker(second, List.of("--cluster", "--cluster-name", clusterName,
        "--cluster-port", Integer.toString(secondPort), "--cluster-members", members));
    return List.of(a, b);
  }

  private PartProcess startTracker(String name, List<String> extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("tracker", "--host", "127.0.0.1",
        "--port", Integer.toString(freePort()), "--edge-secret", EDGE_SECRET,
        // Every viewer is 127.0.0.1: the per-address limit would count them as one client.
        "--rate-limit-per-second", "0",
        // A killed edge does not deregister: out of /route after three missed heartbeats.
        "--edge-expiry-ms", "3000"));
    args.addAll(extra);
    PartProcess tracker = PartProcess.start(name, List.of(), args, log(name));
    trackers.put(name, tracker);
    return tracker;
  }

  /** The tracker's HTTP base (its /route, /metrics), from the WebSocket URL it prints. */
  static String httpUrl(PartProcess tracker) {
    return tracker.url().replaceFirst("^ws", "http").replaceFirst("/ws$", "");
  }

  /**
   * Starts edge {@code id} registered with {@code tracker}, or starts it again on the same port
   * after a kill.
   *
   * @param diskDir its disk tier's folder, or null for none
   * @param wrapper what the JVM runs under (see {@link PartProcess#start}), usually nothing
   */
  PartProcess startEdge(String id, PartProcess tracker, Path diskDir, List<String> wrapper) throws IOException {
    int port = edgePorts.computeIfAbsent(id, unused -> freePort());
    List<String> args = new ArrayList<>(List.of("edge", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--id", id, "--origin", originUrl(), "--tracker", httpUrl(tracker), "--tracker-secret", EDGE_SECRET,
        "--heartbeat-interval-ms", "1000", "--stun-port", "-1", "--rate-limit-per-second", "0",
        "--memory-mb", "32", "--max-object-mb", "8"));
    if (diskDir == null) {
      args.addAll(List.of("--disk-mb", "0"));
    } else {
      args.addAll(List.of("--disk-dir", diskDir.toString(), "--disk-mb", "64"));
    }
    PartProcess edge = PartProcess.start(id, wrapper, args, log(id));
    edges.put(id, edge);
    return edge;
  }

  PartProcess edge(String id) {
    return edges.get(id);
  }

  /** Stops every edge cleanly (they deregister), so that the next scenario's viewers meet only its own. */
  void stopEdges() throws InterruptedException {
    for (PartProcess edge : edges.values()) {
      edge.close();
    }
    edges.clear();
  }

  Path log(String part) {
    return dir.resolve("logs").resolve(part + ".log");
  }

  /**
   * A port free now, below the kernel's ephemeral range (32768 and up here): a port the kernel
   * hands out may be taken by any outgoing connection before a part binds it (a Hazelcast member
   * port was, under 20 viewers), or between a kill and the restart on the same port.
   */
  static int freePort() {
    for (;;) {
      int candidate = 20_000 + PORTS.nextInt(12_000);
      try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
  }

  private static final java.util.Random PORTS = new java.util.Random();

  @Override
  public void close() throws InterruptedException {
    stopEdges();
    for (PartProcess tracker : trackers.values()) {
      tracker.close();
    }
    if (origin != null) {
      origin.close();
    }
  }
}
