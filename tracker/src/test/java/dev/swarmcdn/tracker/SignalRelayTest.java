package dev.swarmcdn.tracker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Offers, answers and candidates between peers of one swarm, and nowhere else. */
class SignalRelayTest {

  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final SwarmId ELSEWHERE = new SwarmId("news", "360p");
  private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}";

  private RunningTracker tracker;
  private TestPeer alice;
  private TestPeer bob;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    alice = tracker.peer();
    bob = tracker.peer();
    alice.join(SWARM, "edge-1", 2, null);
    bob.join(SWARM, "edge-1", 2, null);
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  @Test
  void offerAnswerAndCandidatesReachTheOtherPeerWithTheSenderFilledIn() throws Exception {
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.OFFER, OFFER));
    assertEquals(new ServerMessage.Signal(alice.peerId(), SWARM, SignalKind.OFFER, OFFER),
        bob.next(ServerMessage.Signal.class));

    String answer = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}";
    bob.send(new ClientMessage.Signal(alice.peerId(), SWARM, SignalKind.ANSWER, answer));
    assertEquals(new ServerMessage.Signal(bob.peerId(), SWARM, SignalKind.ANSWER, answer),
        alice.next(ServerMessage.Signal.class));

    String candidate = "{\"candidate\":\"candidate:1 1 udp 1 192.0.2.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.ICE, candidate));
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.ICE, "null"));
    assertEquals(candidate, bob.next(ServerMessage.Signal.class).data());
    assertEquals("null", bob.next(ServerMessage.Signal.class).data(), "end of candidates");
    alice.expectNothingMore();

    // Counted once each write completes, which may be a moment after the peer read it.
    await().atMost(Duration.ofSeconds(5)).until(() ->
        tracker.registry().get("tracker.relay.latency").tag("protocol", "swarmcdn").timer().count() == 4);
    assertEquals(2.0, tracker.registry().get("tracker.signals.relayed").tag("protocol", "swarmcdn")
        .tag("kind", "ice").counter().count());
  }

  @Test
  void aPeerOfAnotherSwarmIsUnknown() throws Exception {
    TestPeer carol = tracker.peer();
    carol.join(ELSEWHERE, "edge-1", 2, null);
    alice.send(new ClientMessage.Signal(carol.peerId(), SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
    // Naming carol's swarm does not help: alice is not in it.
    alice.send(new ClientMessage.Signal(carol.peerId(), ELSEWHERE, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.NOT_JOINED, "signal");
    carol.expectNothingMore();
  }

  @Test
  void aPeerThatLeftOrNeverExistedIsUnknown() throws Exception {
    bob.send(new ClientMessage.Leave(SWARM));
    bob.expectNothingMore();
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
    alice.send(new ClientMessage.Signal("AAAAAAAAAAAAAAAAAAAAAA", SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
    alice.send(new ClientMessage.Signal(alice.peerId(), SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
    bob.expectNothingMore();
  }

  @Test
  void aDisconnectedPeerIsUnknown() throws Exception {
    bob.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> tracker.gauge("tracker.swarm.members") == 1.0);
    alice.send(new ClientMessage.Signal(bob.peerId(), SWARM, SignalKind.OFFER, OFFER));
    alice.expectError(ErrorCode.UNKNOWN_PEER, "signal");
  }
}
