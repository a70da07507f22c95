package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.testing.LiveStack;
import dev.swarmcdn.peer.testing.RecordingSessions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java peer and the browser player in real headless Chromium share the live demo stream both ways,
 * through the real origin, tracker and edge (docs/ARCHITECTURE.md, "How a Java peer meets a browser
 * peer"). Chromium keeps its default: its host candidates are mDNS names the Java peer cannot
 * resolve. The edge is deployed as on a real network: it advertises this machine's interface address
 * and its own STUN endpoint there, which the tracker's {@code /route} hands to both viewers; the
 * browser's server-reflexive candidate is then the address the Java peer reaches it at.
 *
 * <p>Phase 1: a Java viewer plays first, the browser joins (it offers) and gets segments from it.
 * Phase 2: that Java viewer leaves, a new one joins the browser (it offers) and gets segments from
 * the browser. The newcomer gets peers' bytes because the viewer oldest among its peers fetches new
 * live segments over HTTP at once, and the newcomer waits for them (the live seeding rule).
 *
 * <p>The browser runs in {@code web-player/test/e2e/java-peer.mjs} (playwright-core from
 * web-player's npm dependencies, Chromium from Debian). Skipped where /usr/bin/chromium is missing.
 */
class BrowserInteropTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path WEB_PLAYER = Path.of("..", "web-player").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PHASE_BOUND = Duration.ofSeconds(45);

  @TempDir
  Path dir;
  private LiveStack stack;
  private Vertx vertx;
  private BrowserViewer browser;
  private final List<Viewer> viewers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Viewer viewer : viewers) {
      viewer.close();
    }
    if (browser != null) {
      browser.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aJavaPeerAndTheBrowserPlayerShareSegmentsBothWays() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (scripts/install-deps installs it): "
        + "the Java-browser interop test is skipped");
    assertTrue(Files.isDirectory(WEB_PLAYER.resolve("node_modules/playwright-core")),
        "web-player's npm dependencies are missing: build with -pl web-player,peer -am (its build runs npm ci)");
    String address = interfaceAddress().orElseThrow(() -> new AssertionError(
        "no IPv4 address on a network interface but loopback: libwebrtc gathers no loopback candidates, "
            + "so no Java peer connects here"));
    long began = System.nanoTime();
    stack = LiveStack.startWithPublicEdge(dir, address);
    vertx = Vertx.vertx();
    RecordingSessions javaIce = new RecordingSessions(RtcRuntime.shared());
    EngineOptions options = EngineOptions.builder().route(stack.routeUrl()).build();

    // Phase 1: Java first; the browser joins and takes from it.
    Viewer first = watch(options, javaIce);
    Awaitility.await("the first Java viewer plays").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
        .until(() -> first.stats().deliveredHttp() > 0);
    browser = BrowserViewer.start(stack.routeUrl(), stack.edgeUrl() + "/player/player.js");
    Awaitility.await("the browser gets segment bytes from the Java peer").atMost(PHASE_BOUND.plusSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> browser.delivered("p2p") > 0 && first.stats().uploaded() > 0);
    JsonNode afterPhase1 = browser.state();
    StatsSnapshot firstStats = first.stats();
    System.out.printf("phase 1 (Java first): browser %s; Java uploaded %d bytes%n",
        afterPhase1.path("stats").path("delivered"), firstStats.uploaded());
    assertEquals(1, afterPhase1.path("stats").path("peers").asInt(), "the browser's one peer is the Java viewer");

    // Phase 2: the browser is now the older viewer; a new Java viewer joins and takes from it.
    first.close();
    viewers.remove(first);
    long browserUploaded = browser.state().path("stats").path("uploaded").asLong();
    Viewer second = watch(options, javaIce);
    Awaitility.await("the second Java viewer gets segment bytes from the browser").atMost(PHASE_BOUND)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> second.stats().deliveredP2p() > 0
            && browser.state().path("stats").path("uploaded").asLong() > browserUploaded);
    StatsSnapshot secondStats = second.stats();
    JsonNode end = browser.state();
    System.out.printf("phase 2 (browser first): Java delivered http %d p2p %d; browser uploaded %d bytes%n",
        secondStats.deliveredHttp(), secondStats.deliveredP2p(), end.path("stats").path("uploaded").asLong());

    // Integrity: every byte from a peer was checked, none failed.
    assertEquals(0, firstStats.integrityFailures());
    assertEquals(0, secondStats.integrityFailures());
    assertEquals(0, end.path("stats").path("integrityFailures").asLong());

    // How they met: the browser's host candidates are mDNS names; its server-reflexive ones come
    // from the edge's STUN endpoint, at the interface address, and reach the Java peer.
    List<String> browserLocal = texts(end, "local");
    List<String> browserRemote = texts(end, "remote");
    System.out.println("browser ICE servers: " + end.path("connections").path(0).path("iceServers"));
    System.out.println("browser gathered: " + browserLocal);
    System.out.println("browser received from Java: " + browserRemote);
    System.out.println("Java gathered: " + javaIce.sent);
    System.out.println("Java received from the browser: " + javaIce.received);
    System.out.println("Java sessions, initiator or not (phase 1, then 2): " + javaIce.initiators);
    for (JsonNode connection : end.path("connections")) {
      JsonNode pair = connection.path("selected");
      assertTrue(pair.isObject(), "every connection of the browser selected a candidate pair: " + connection);
      // The browser's end of the pair: its address reached the Java peer as a candidate it sent
      // (srflx: the same socket as a host candidate it hid), or only in its connectivity checks
      // (prflx: the Java peer learned it from them).
      String localPort = pair.path("local").asText().replaceAll("^.*:(\\d+) .*$", "$1");
      String javaView = javaIce.received.stream()
          .filter(c -> !address(c).endsWith(".local") && port(c).equals(localPort)).map(BrowserInteropTest::type)
          .findFirst().orElse("prflx");
      System.out.printf("selected pair: browser %s <-> Java %s (browser's getStats); the Java peer knows the browser's end as %s%n",
          pair.path("local").asText(), pair.path("remote").asText(), javaView);
    }
    assertTrue(end.path("connections").path(0).path("iceServers").toString().contains("stun:" + address + ":"),
        "the browser got the edge's STUN endpoint from /route");
    // Chromium hands out a host candidate only under an mDNS name it made; once, on a fresh CI
    // machine, it handed out none (likely its responder had no multicast socket there), and the
    // server-reflexive candidate below was all the Java peers got, enough to connect. Either way
    // no raw address may leak.
    List<String> browserHost = browserLocal.stream().filter(c -> type(c).equals("host")).toList();
    if (browserHost.isEmpty()) {
      System.out.println("the browser gathered no host candidates: Chromium's mDNS responder did not name any here");
    }
    assertTrue(browserHost.stream().allMatch(c -> address(c).endsWith(".local")),
        "Chromium kept its default: host candidates behind mDNS names: " + browserLocal);
    assertTrue(javaIce.received.stream().anyMatch(c -> type(c).equals("srflx") && address(c).equals(address)),
        "the Java peers got the browser's server-reflexive candidate at " + address + ": " + javaIce.received);
    assertTrue(stunRequests() > 0, "the edge's STUN endpoint answered Binding requests");
    System.out.printf("interop test took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
  }

  private Viewer watch(EngineOptions options, SessionFactory sessions) throws Exception {
    PeerEngine engine = PeerEngine.create(vertx, options, sessions);
    VirtualPlayer player = engine.submit(() -> {
      VirtualPlayer p = new VirtualPlayer(engine, VirtualPlayer.Settings.DEFAULT, event -> { });
      p.start("/live/" + LiveStack.STREAM + "/master.m3u8");
      return p;
    }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Viewer viewer = new Viewer(engine, player);
    viewers.add(viewer);
    return viewer;
  }

  /** The edge's {@code edge_stun_requests_total}, all answers. */
  private long stunRequests() throws Exception {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(stack.edgeUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return (long) metrics.body().lines().filter(line -> line.startsWith("edge_stun_requests_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  /** An IPv4 address of an interface that is up and not loopback: what libwebrtc gathers. */
  private static Optional<String> interfaceAddress() throws SocketException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a.getHostAddress());
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> texts(JsonNode state, String field) {
    List<String> out = new ArrayList<>();
    state.path("connections").forEach(c -> c.path(field).forEach(v -> out.add(v.asText())));
    return out;
  }

  /** {@code candidate:F C udp PRIO ADDRESS PORT typ TYPE ...}: its type. */
  static String type(String candidate) {
    String[] f = candidate.split(" ");
    return f.length > 7 ? f[7] : "";
  }

  static String address(String candidate) {
    String[] f = candidate.split(" ");
    return f.length > 4 ? f[4] : "";
  }

  static String port(String candidate) {
    String[] f = candidate.split(" ");
    return f.length > 5 ? f[5] : "";
  }

  record Viewer(PeerEngine engine, VirtualPlayer player) {
    StatsSnapshot stats() throws Exception {
      return engine.submit(engine::stats).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    void close() throws Exception {
      engine.submit(() -> {
        player.stop();
        engine.close();
        return null;
      }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /** The node script driving Chromium; its latest state line. */
  static final class BrowserViewer {
    private final Process process;
    private final AtomicReference<JsonNode> state = new AtomicReference<>();
    private final Thread reader;

    private BrowserViewer(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "browser-output");
      reader.setDaemon(true);
      reader.start();
    }

    static BrowserViewer start(String route, String playerJs) throws IOException {
      return new BrowserViewer(new ProcessBuilder("node", "test/e2e/java-peer.mjs", "--route", route,
          "--player", playerJs, "--bound", "140")
          .directory(WEB_PLAYER.toFile()).redirectErrorStream(true).start());
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("INTEROP-STATE ")) {
            state.set(JSON.readTree(line.substring("INTEROP-STATE ".length())));
          } else {
            System.out.println("[browser] " + line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }

    JsonNode state() {
      if (!process.isAlive()) {
        throw new AssertionError("the browser script ended (exit " + process.exitValue() + ") before the test did");
      }
      JsonNode s = state.get();
      return s == null ? JSON.createObjectNode() : s;
    }

    long delivered(String source) {
      return state().path("stats").path("delivered").path(source).asLong();
    }

    void close() throws InterruptedException {
      try {
        process.getOutputStream().close(); // the script closes Chromium and exits
      } catch (IOException ignored) {
        // already gone
      }
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      reader.join(5000);
    }
  }
}
