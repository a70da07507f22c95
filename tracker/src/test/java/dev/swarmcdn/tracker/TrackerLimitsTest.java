package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.session.CloseCodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every refusal, every limit, and the connections the tracker closes itself. */
class TrackerLimitsTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  /** A valid ping of about {@code bytes} bytes. */
  private static String pingOf(int bytes) {
    return "{\"v\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(bytes - 30) + "\"}";
  }

  @Test
  void everyErrorCodeIsSentAndCounted() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().secret("s3cret")
        .limits(TrackerLimits.DEFAULTS.withFrameBytes(1024, 4096).withRate(0.01, 11).withSwarms(1, 5000)));
    TestPeer peer = tracker.peer();
    peer.sendRaw("{\"v\":1,\"type\":\"hello\"}");
    peer.expectError(ErrorCode.UNKNOWN_TYPE, null);
    peer.sendRaw("{\"v\":1,\"type\":\"join\",\"swarm\":\"demo\"}");
    peer.expectError(ErrorCode.MALFORMED, "join");
    peer.sendRaw(pingOf(2000));
    peer.expectError(ErrorCode.TOO_LARGE, null);
    peer.sendRaw("{\"v\":2,\"type\":\"ping\"}");
    peer.expectError(ErrorCode.UNSUPPORTED_VERSION, null);
    peer.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, null));
    peer.expectError(ErrorCode.UNAUTHORIZED, "join");
    peer.send(new ClientMessage.Have(SWARM, 1));
    peer.expectError(ErrorCode.NOT_JOINED, "have");
    peer.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, TestTokens.valid("s3cret", "demo")));
    peer.next(ServerMessage.Peers.class);
    peer.send(new ClientMessage.Join(new SwarmId("demo", "720p"), "edge-1", 1, null, TestTokens.valid("s3cret", "demo")));
    peer.expectError(ErrorCode.LIMIT_EXCEEDED, "join");
    peer.send(new ClientMessage.Signal("AAAAAAAAAAAAAAAAAAAAAA", SWARM, SignalKind.ICE, "null"));
    peer.expectError(ErrorCode.UNKNOWN_PEER, "signal");
    // 9 of the burst of 11 are spent; the rate refills nothing during the test.
    peer.send(new ClientMessage.Ping());
    peer.send(new ClientMessage.Ping());
    peer.send(new ClientMessage.Ping());
    peer.next(ServerMessage.Pong.class);
    peer.next(ServerMessage.Pong.class);
    peer.expectError(ErrorCode.RATE_LIMITED, null);

    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(1.0, tracker.errors(code.wireName()), code.wireName());
    }
  }

  @Test
  void aMessageOverTheLimitIsRefusedAndTheConnectionGoesOn() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withFrameBytes(1024, 4096)));
    TestPeer peer = tracker.peer();
    peer.sendRaw(pingOf(1000));
    peer.next(ServerMessage.Pong.class);
    peer.sendRaw(pingOf(1100));
    peer.expectError(ErrorCode.TOO_LARGE, null);
    // Split over frames, each small: the whole message counts.
    peer.sendFrame(WebSocketFrame.textFrame("{\"v\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(600), false));
    peer.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x".repeat(600) + "\"}"), true));
    peer.expectError(ErrorCode.TOO_LARGE, null);
    peer.expectNothingMore();
    assertFalse(peer.isClosed());
  }

  @Test
  void aFrameOverTheHardLimitClosesTheConnection() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withFrameBytes(1024, 4096)));
    TestPeer peer = tracker.peer();
    peer.sendRaw(pingOf(10_000));
    assertEquals(CloseCodes.MESSAGE_TOO_BIG, peer.awaitClose());
    assertEquals(1.0, tracker.disconnects("too_large"));
  }

  @Test
  void aMessageGrowingPastTheHardLimitInSmallFramesClosesTheConnection() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withFrameBytes(1024, 4096)));
    TestPeer peer = tracker.peer();
    peer.sendFrame(WebSocketFrame.textFrame("{\"v\":1,\"type\":\"ping\",\"pad\":\"", false));
    for (int i = 0; i < 10; i++) {
      peer.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x".repeat(1000)), false));
    }
    assertEquals(CloseCodes.MESSAGE_TOO_BIG, peer.awaitClose());
    assertEquals(1.0, tracker.disconnects("too_large"));
  }

  @Test
  void messagesBeyondTheRateAreRefused() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withRate(0.01, 3)));
    TestPeer peer = tracker.peer();
    for (int i = 0; i < 5; i++) {
      peer.send(new ClientMessage.Ping());
    }
    for (int i = 0; i < 3; i++) {
      peer.next(ServerMessage.Pong.class);
    }
    peer.expectError(ErrorCode.RATE_LIMITED, null);
    peer.expectError(ErrorCode.RATE_LIMITED, null);
    assertEquals(2.0, tracker.errors("rate_limited"));
  }

  @Test
  void swarmsPerConnectionAreLimited() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withSwarms(2, 5000)));
    TestPeer peer = tracker.peer();
    peer.join(new SwarmId("demo", "360p"), "edge-1", 1, null);
    peer.join(new SwarmId("demo", "720p"), "edge-1", 1, null);
    peer.send(new ClientMessage.Join(new SwarmId("demo", "1080p"), "edge-1", 1, null, null));
    peer.expectError(ErrorCode.LIMIT_EXCEEDED, "join");
    peer.join(new SwarmId("demo", "360p"), "edge-1", 2, null);
    peer.send(new ClientMessage.Leave(new SwarmId("demo", "720p")));
    peer.join(new SwarmId("demo", "1080p"), "edge-1", 1, null);
  }

  @Test
  void peersPerSwarmAreLimited() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withSwarms(4, 2)));
    TestPeer a = tracker.peer();
    a.join(SWARM, "edge-1", 1, null);
    tracker.peer().join(SWARM, "edge-1", 1, null);
    TestPeer third = tracker.peer();
    third.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, null));
    third.expectError(ErrorCode.LIMIT_EXCEEDED, "join");
    a.join(SWARM, "edge-1", 3, null);
    a.send(new ClientMessage.Leave(SWARM));
    a.expectNothingMore();
    assertEquals(1, third.join(SWARM, "edge-1", 1, null).peers().size());
  }

  @Test
  void tooManyBadFramesCloseTheConnection() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withMaxBadFrames(3)));
    TestPeer peer = tracker.peer();
    peer.sendRaw("not json");
    peer.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2, 3}), true));
    peer.sendRaw("{\"v\":1,\"type\":\"nope\"}");
    peer.send(new ClientMessage.Ping());
    peer.sendRaw("[]");
    peer.sendRaw("{\"v\":1,\"type\":\"ping\"}");
    peer.expectError(ErrorCode.MALFORMED, null);
    peer.expectError(ErrorCode.MALFORMED, null);
    peer.expectError(ErrorCode.UNKNOWN_TYPE, null);
    peer.next(ServerMessage.Pong.class);
    peer.expectError(ErrorCode.MALFORMED, null);
    assertEquals(CloseCodes.POLICY_VIOLATION, peer.awaitClose());
    assertEquals(1.0, tracker.disconnects("bad_frames"));
  }

  @Test
  void refusalsThatAreNotTheSendersFaultDoNotCountAsBadFrames() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withMaxBadFrames(1)));
    TestPeer peer = tracker.peer();
    for (int i = 0; i < 3; i++) {
      peer.send(new ClientMessage.Have(SWARM, 1));
      peer.expectError(ErrorCode.NOT_JOINED, "have");
    }
    peer.expectNothingMore();
    assertFalse(peer.isClosed());
  }

  @Test
  void aSilentPeerIsClosedAndLeavesItsSwarmsWhileAPingingOneStays() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().ping(Duration.ofMillis(100), 2));
    TestPeer silent = tracker.peer();
    silent.join(SWARM, "edge-1", 1, null);
    TestPeer pinging = tracker.peer();
    long pinger = tracker.clientVertx().setPeriodic(40, id -> pinging.send(new ClientMessage.Ping()));
    try {
      assertEquals(List.of(silent.peerId()),
          pinging.join(SWARM, "edge-1", 1, null).peers().stream().map(p -> p.peerId()).toList());
      assertEquals(CloseCodes.PING_TIMEOUT, silent.awaitClose());
      await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.swarm.members") == 1.0);
      assertEquals(List.of(), pinging.join(SWARM, "edge-1", 1, null).peers());
      assertFalse(pinging.isClosed(), "a peer that pings stays");
      assertEquals(1.0, tracker.disconnects("ping_timeout"));
      assertTrue(tracker.gauge("tracker.peers.connected") == 1.0);
    } finally {
      tracker.clientVertx().cancelTimer(pinger);
    }
  }

  @Test
  void signalsBeyondTheRecipientsBoundPerSecondAreDroppedAndTheirSendersToldRateLimited() throws Exception {
    // Senders may send as fast as they like: the bound is the recipient's, whoever sends.
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS
        .withRate(100_000, 100_000).withSignalsPerPeer(3)));
    TestPeer first = tracker.peer();
    TestPeer second = tracker.peer();
    TestPeer victim = tracker.peer();
    TestPeer bystander = tracker.peer();
    for (TestPeer peer : List.of(first, second, victim, bystander)) {
      peer.join(SWARM, "edge-1", 1, null);
    }
    int each = 30;
    for (int i = 0; i < each; i++) {
      first.send(new ClientMessage.Signal(victim.peerId(), SWARM, SignalKind.ICE, "\"c" + i + "\""));
      second.send(new ClientMessage.Signal(victim.peerId(), SWARM, SignalKind.ICE, "\"c" + i + "\""));
    }
    int declined = first.errorsBeforePong(ErrorCode.RATE_LIMITED, "signal")
        + second.errorsBeforePong(ErrorCode.RATE_LIMITED, "signal");
    // 3 a second: unless the 60 signals took 15 s to handle, more were declined than bad frames close for.
    assertTrue(declined > TrackerLimits.DEFAULTS.maxBadFrames(), "declined " + declined);
    assertEquals(declined, tracker.registry().counter("tracker.signals.recipient.limited", "protocol",
        TrackerMetrics.OURS).count());
    // Each signal was relayed or declined; what was relayed arrives.
    for (int i = 0; i < 2 * each - declined; i++) {
      victim.next(ServerMessage.Signal.class);
    }
    victim.expectNothingMore();
    // Being declined for another's sake is no bad frame, and another recipient has a bound of its own.
    assertFalse(first.isClosed());
    assertFalse(second.isClosed());
    first.send(new ClientMessage.Signal(bystander.peerId(), SWARM, SignalKind.OFFER, "\"sdp\""));
    assertEquals(first.peerId(), bystander.next(ServerMessage.Signal.class).from());
    assertEquals(0, first.errorsBeforePong(ErrorCode.RATE_LIMITED, "signal"));
  }

  @Test
  void theSignalBoundIsRefusedAtStartByFlagNameWhenBelowOne() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> TrackerLimits.DEFAULTS.withSignalsPerPeer(-1));
    assertTrue(refused.getMessage().contains("--max-signals-per-peer-per-second"), refused.getMessage());
    assertEquals(250, TrackerLimits.DEFAULTS.maxSignalsPerPeerPerSecond());
  }

  @Test
  void signalsToAPeerThatReadsSlowlyAreDeclinedToTheirSenderAndTheReaderStays() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS
        .withRate(100_000, 100_000).withWriteQueueBytes(64 * 1024).withSignalsPerPeer(100_000)));
    TestPeer sender = tracker.peer();
    TestPeer victim = tracker.peer();
    sender.join(SWARM, "edge-1", 1, null);
    victim.join(SWARM, "edge-1", 1, null);
    victim.reading(false);
    String data = "\"" + "x".repeat(12_000) + "\"";
    // Bounded: far more than the kernel's socket buffers and the queue together hold.
    boolean declined = false;
    int sent = 0;
    for (; sent < 4000 && !declined; sent++) {
      sender.send(new ClientMessage.Signal(victim.peerId(), SWARM, SignalKind.OFFER, data));
      ServerMessage answer = sender.nextOrPong();
      if (answer instanceof ServerMessage.ErrorFrame error) {
        assertEquals(ErrorCode.RATE_LIMITED, error.code(), error.message());
        assertEquals("signal", error.ref());
        declined = true;
      }
    }
    assertTrue(declined, "the sender was told after " + sent + " signals");
    // More than enough refusals to close a sender of bad frames: being declined is not one.
    for (int i = 0; i < 20; i++) {
      sender.send(new ClientMessage.Signal(victim.peerId(), SWARM, SignalKind.OFFER, data));
      sender.expectError(ErrorCode.RATE_LIMITED, "signal");
    }
    assertFalse(victim.isClosed());
    assertFalse(sender.isClosed());
    assertEquals(0.0, tracker.disconnects("slow_reader"));
    assertTrue(tracker.registry().counter("tracker.signals.declined", "protocol", TrackerMetrics.OURS).count() >= 21.0);
    // Once the victim reads again, what was relayed reaches it, and so do new signals.
    victim.reading(true);
    for (int i = 0; i < sent - 1; i++) {
      assertEquals(sender.peerId(), victim.next(ServerMessage.Signal.class).from());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      sender.send(new ClientMessage.Signal(victim.peerId(), SWARM, SignalKind.OFFER, "\"hi\""));
      return sender.nextOrPong() instanceof ServerMessage.Pong;
    });
    victim.expectNothingMoreThan(ServerMessage.Signal.class);
  }

  @Test
  void aPeerThatDoesNotReadItsOwnAnswersIsClosedInsteadOfBufferedFor() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS
        .withRate(100_000, 100_000).withWriteQueueBytes(64 * 1024)));
    for (int i = 0; i < 20; i++) {
      tracker.peer().join(SWARM, "edge-1", 1, null);
    }
    TestPeer reader = tracker.peer();
    reader.join(SWARM, "edge-1", 1, null);
    reader.reading(false);
    // Each join is answered with a list of 20 peers. Bounded: far more than the kernel's socket
    // buffers and the queue together hold.
    for (int i = 0; i < 40_000 && tracker.disconnects("slow_reader") == 0.0 && !reader.isClosed(); i++) {
      reader.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, null));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> tracker.disconnects("slow_reader") == 1.0);
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.swarm.members") == 20.0);
    reader.reading(true);
    reader.awaitClose();
  }
}
