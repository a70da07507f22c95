package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmcdn.launcher.CoturnRelay;
import dev.swarmcdn.launcher.InterfaceAddress;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.testing.JavaViewer;
import dev.swarmcdn.peer.testing.LiveStack;
import dev.swarmcdn.peer.testing.RecordingSessions;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.tracker.TurnConfig;
import dev.swarmcdn.tracker.routing.TurnCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java viewers that may only use TURN relay candidates (iceTransportPolicy relay: as viewers
 * behind a symmetric NAT or a strict firewall) share the live stream through a real coturn, with
 * the credentials the tracker's {@code /route} mints for each of them; a viewer whose credential
 * the relay does not accept gets no relay, so no peer. coturn listens and relays on this machine's
 * interface address (libwebrtc gathers no loopback candidates). Skipped only where turnserver is
 * not installed (scripts/install-deps installs coturn; CI runs it).
 */
class TurnRelayTest {
  private static final String SRC = "/live/" + LiveStack.STREAM + "/master.m3u8";

  @TempDir
  static Path dir;
  static CoturnRelay relay;
  static LiveStack stack;
  final List<JavaViewer> viewers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> turnserver = CoturnRelay.installed();
    assumeTrue(turnserver.isPresent(), "turnserver (coturn) is not installed: scripts/install-deps installs it");
    String address = InterfaceAddress.ipv4().orElseThrow(() -> new AssertionError(
        "no IPv4 address on a network interface but loopback: libwebrtc gathers no loopback candidates"));
    relay = CoturnRelay.start(turnserver.get(), address, dir.resolve("turn"));
    stack = LiveStack.startWithPublicEdge(dir, address, relay.turnConfig(TurnConfig.DEFAULT_TTL));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @AfterEach
  void closeViewers() throws Exception {
    for (JavaViewer viewer : viewers) {
      viewer.close();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> RtcRuntime.shared().openSessions() == 0);
  }

  private JavaViewer watch(EngineOptions options, RecordingSessions sessions) throws Exception {
    JavaViewer viewer = JavaViewer.watch(stack.viewers(), SRC, options, sessions);
    viewers.add(viewer);
    return viewer;
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void viewersLimitedToRelayCandidatesShareSegmentsThroughTheTurnRelay() throws Exception {
    RecordingSessions ice = new RecordingSessions(RtcRuntime.shared());
    EngineOptions options = EngineOptions.builder().route(stack.routeUrl()).relayOnly(true).build();
    JavaViewer first = watch(options, ice);
    Awaitility.await("the first viewer plays").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> first.stats().deliveredHttp() > 0);
    JavaViewer second = watch(options, ice);
    long began = System.nanoTime();
    Awaitility.await("segments flow between the viewers through the relay").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> second.stats().deliveredP2p() > 0 && first.stats().uploaded() > 0);
    long firstP2p = System.nanoTime();
    // A while of sharing to measure: six more segments played by the newcomer (12 s of media).
    int playedBefore = second.played().size();
    Awaitility.await("the newcomer plays on").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
        .until(() -> second.played().size() >= playedBefore + 6);
    double seconds = (System.nanoTime() - began) / 1e9;

    StatsSnapshot taker = second.stats();
    StatsSnapshot giver = first.stats();
    assertEquals(0, taker.integrityFailures());
    assertEquals(0, giver.integrityFailures());
    assertEquals(1, taker.peers(), "the one peer, met through the relay");
    EngineSwarmTest.assertPlayedAsTheEdgeServes(second);
    // Relay policy: relay candidates only, each an address of the relay, on both sides.
    assertFalse(ice.sent.isEmpty(), "candidates were gathered");
    assertTrue(ice.sent.stream().allMatch(c -> BrowserInteropTest.type(c).equals("relay")),
        "only relay candidates: " + ice.sent);
    String relayHost = relay.url().replaceAll("^turn:([^:]+):.*$", "$1");
    assertTrue(ice.sent.stream().allMatch(c -> BrowserInteropTest.address(c).equals(relayHost)), ice.sent.toString());
    long delivered = taker.deliveredHttp() + taker.deliveredP2p();
    System.out.printf(Locale.ROOT, "RELAY-REPORT newcomer over %.1f s: delivered %d bytes, %d over HTTP, %d from its peer "
            + "through the relay: P2P share %.1f %%, %.3f MB/s through the relay (%.3f MB/s since its first P2P byte); "
            + "the first viewer uploaded %d bytes; candidates %s%n",
        seconds, delivered, taker.deliveredHttp(), taker.deliveredP2p(), 100.0 * taker.deliveredP2p() / delivered,
        taker.deliveredP2p() / 1e6 / seconds, taker.deliveredP2p() / 1e6 / ((System.nanoTime() - firstP2p) / 1e9),
        giver.uploaded(), ice.sent);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void viewersWithACredentialTheRelayRefusesGetNoRelayAndNoPeer() throws Exception {
    // Minted as the tracker would, under a secret that is not the relay's.
    TurnCredentials forged = new TurnCredentials(new TurnConfig(List.of(relay.url()), "not-the-relays-secret",
        TurnConfig.DEFAULT_TTL), () -> System.currentTimeMillis() / 1000);
    IceServer wrong = forged.iceServerFor("intruder");
    RecordingSessions ice = new RecordingSessions(RtcRuntime.shared());
    EngineOptions options = EngineOptions.builder().route(stack.routeUrl()).iceServers(List.of(wrong)).relayOnly(true)
        .build();
    JavaViewer first = watch(options, ice);
    Awaitility.await("the first viewer plays").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> first.stats().deliveredHttp() > 0);
    JavaViewer second = watch(options, ice);
    // Both ends of their peer connection finish gathering: with the relay refusing them, empty-handed.
    Awaitility.await("both sides gave up gathering").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> ice.gatheringEnded.get() >= 2);
    assertEquals(List.of(), ice.sent, "no candidate: the relay refused the credential");
    Awaitility.await("the newcomer plays over HTTP").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> second.stats().deliveredHttp() > 0);
    StatsSnapshot taker = second.stats();
    assertEquals(0, taker.peers(), "no connection");
    assertEquals(0, taker.deliveredP2p());
    assertEquals(0, first.stats().uploaded());
  }
}
