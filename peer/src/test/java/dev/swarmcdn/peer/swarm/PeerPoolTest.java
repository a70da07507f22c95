package dev.swarmcdn.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.testing.FakeChannel;
import dev.swarmcdn.peer.testing.FakeClock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.SequenceRange;
import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool of one swarm's peers, with sessions that hand over in-memory channels. */
class PeerPoolTest {
  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  /** A session the test drives: it records what the pool asks of it. */
  static final class FakeSession implements PeerSession {
    final SessionFactory.Spec spec;
    int offers;
    final List<SignalKind> signals = new ArrayList<>();
    int closes;

    FakeSession(SessionFactory.Spec spec) {
      this.spec = spec;
    }

    @Override
    public void offer() {
      offers++;
    }

    @Override
    public void signal(SignalKind kind, String data) {
      signals.add(kind);
    }

    @Override
    public void close() {
      closes++;
    }
  }

  private final FakeClock clock = new FakeClock();
  private final Map<String, FakeSession> sessions = new LinkedHashMap<>();
  private final Map<String, Long> banned = new HashMap<>();
  private final List<String> events = new ArrayList<>();
  private final List<LinkClose> closes = new ArrayList<>();
  private String opening;
  private final PeerPool pool = new PeerPool(new PeerPool.Settings(SWARM, 3, 4, 0, List::of, () -> "peer-m",
      () -> Holdings.NONE, (to, kind, data) -> { }, spec -> {
        FakeSession session = new FakeSession(spec);
        sessions.put(opening, session);
        return session;
      }, clock, banned), new PeerPool.Events() {
        @Override
        public void ready(Peer peer) {
          events.add("ready " + peer.id());
        }

        @Override
        public void have(Peer peer) {
          events.add("have " + peer.id());
        }

        @Override
        public void closed(Peer peer, LinkClose close) {
          events.add("closed " + peer.id());
          closes.add(close);
        }
      });

  private static List<PeerInfo> infos(String... ids) {
    List<PeerInfo> list = new ArrayList<>();
    for (String id : ids) {
      list.add(new PeerInfo(id, Locality.ANY, null));
    }
    return list;
  }

  private void connectTo(String... ids) {
    for (String id : ids) {
      opening = id;
      pool.connectTo(infos(id));
    }
  }

  /** The session's channel comes up and the far end, played by the test, greets. */
  private FakeChannel channelUp(String id) {
    FakeChannel[] ends = FakeChannel.pair(clock);
    sessions.get(id).spec.onChannel().accept(ends[0]);
    ends[0].open();
    ends[1].sendFrame(new PeerFrame.Hello(SWARM, 0, 4, 1 << 20));
    clock.settle();
    return ends[1];
  }

  @Test
  void offersConnectionsInTheTrackersOrderSkippingItselfUntilFull() {
    opening = "?";
    pool.connectTo(infos("peer-m", "peer-a"));
    assertEquals(1, pool.size());
    connectTo("peer-a", "peer-b", "peer-c", "peer-d");
    assertEquals(3, pool.size());
    assertTrue(pool.full());
    assertNull(pool.peer("peer-d"));
    assertNull(pool.peer("peer-m"));
    assertEquals(1, sessions.get("peer-b").offers);
    assertTrue(sessions.get("peer-b").spec.initiator());
  }

  @Test
  void edgeSeedersTakeNoViewersPlaceTwoAtMost() {
    connectTo("peer-a", "peer-b", "peer-c");
    assertTrue(pool.full());
    for (String edge : List.of("edge-1", "edge-2", "edge-3")) {
      opening = edge;
      pool.connectTo(List.of(new PeerInfo(edge, Locality.EDGE, null, true)));
    }
    assertEquals(5, pool.size(), "three viewers, and two seeders besides");
    assertNull(pool.peer("edge-3"));
    assertTrue(sessions.get("edge-2").spec.initiator());
  }

  @Test
  void aPeerIsConnectedOnceItsLinkIsGreetedAndHoldersFollowItsHave() {
    connectTo("peer-a");
    assertTrue(pool.connected().isEmpty());
    FakeChannel far = channelUp("peer-a");
    assertEquals(List.of("ready peer-a"), events);
    assertEquals(1, pool.connected().size());
    far.sendFrame(new PeerFrame.Have(List.of(new SequenceRange(10, 3)), List.of(new SequenceRange(14, 1))));
    clock.settle();
    assertEquals(List.of("peer-a"), pool.holders(12).stream().map(Peer::id).toList());
    assertTrue(pool.holders(13).isEmpty());
    assertTrue(pool.anyHolds(10));
    assertEquals(1, pool.fetchers(14));
  }

  @Test
  void aPeerNotConnectedInTimeIsDroppedAndKeptAwayForAWhile() {
    connectTo("peer-a");
    clock.advance(PeerPool.CONNECT_TIMEOUT_MS);
    assertEquals(0, pool.size());
    assertEquals(1, sessions.get("peer-a").closes);
    assertEquals(List.of("closed peer-a"), events);
    assertEquals(LinkClose.Reason.CLOSED, closes.get(0).reason());
    sessions.clear();
    connectTo("peer-a");
    assertEquals(0, pool.size(), "banned");
    clock.advance(PeerPool.UNREACHABLE_BAN_MS);
    connectTo("peer-a");
    assertEquals(1, pool.size(), "the ban ended");
  }

  @Test
  void aConnectedPeerIsNotDroppedByTheConnectTimeout() {
    connectTo("peer-a");
    channelUp("peer-a");
    clock.advance(PeerPool.CONNECT_TIMEOUT_MS * 2);
    assertEquals(1, pool.connected().size());
  }

  @Test
  void aPeerThatBreaksARuleIsRemovedAndItsSessionClosed() {
    connectTo("peer-a");
    FakeChannel far = channelUp("peer-a");
    far.sendRaw(new byte[] {0x42});
    clock.settle();
    assertEquals(0, pool.size());
    assertEquals(List.of("ready peer-a", "closed peer-a"), events);
    assertEquals(LinkClose.Reason.PROTOCOL_ERROR, closes.get(0).reason());
    assertEquals(1, sessions.get("peer-a").closes);
    assertEquals(new PeerFrame.Bye(ByeReason.PROTOCOL_ERROR), last(far.other().sentFrames()));
  }

  @Test
  void aDropForIntegritySendsByeAndBansForGood() {
    connectTo("peer-a");
    FakeChannel far = channelUp("peer-a");
    pool.drop("peer-a", ByeReason.INTEGRITY, Long.MAX_VALUE);
    clock.settle();
    assertEquals(new PeerFrame.Bye(ByeReason.INTEGRITY), last(far.other().sentFrames()));
    assertEquals(List.of("ready peer-a", "closed peer-a"), events, "told once");
    assertEquals(LinkClose.Reason.INTEGRITY, closes.get(0).reason());
    assertEquals(1, sessions.get("peer-a").closes);
    clock.advance(24L * 3600 * 1000);
    connectTo("peer-a");
    assertEquals(0, pool.size());
  }

  @Test
  void closingSaysLeavingToEveryoneAndClosesEverySession() {
    connectTo("peer-a", "peer-b");
    FakeChannel far = channelUp("peer-a");
    pool.close();
    clock.settle();
    assertEquals(new PeerFrame.Bye(ByeReason.LEAVING), last(far.other().sentFrames()));
    assertEquals(0, pool.size());
    assertEquals(1, sessions.get("peer-a").closes);
    assertEquals(1, sessions.get("peer-b").closes);
    connectTo("peer-c");
    assertEquals(0, pool.size(), "a closed pool connects to nobody");
  }

  @Test
  void anOfferIsAnsweredUpToTwoBeyondAFullPoolUnlessThePeerIsBanned() {
    opening = "peer-x";
    pool.signal("peer-x", SignalKind.OFFER, "{}");
    assertFalse(sessions.get("peer-x").spec.initiator());
    assertEquals(List.of(SignalKind.OFFER), sessions.get("peer-x").signals);
    banned.put("peer-y", clock.now() + 1000);
    opening = "peer-y";
    pool.signal("peer-y", SignalKind.OFFER, "{}");
    assertNull(pool.peer("peer-y"));
    connectTo("peer-a", "peer-b");
    assertTrue(pool.full());
    for (String late : List.of("peer-v", "peer-w")) {
      opening = late;
      pool.signal(late, SignalKind.OFFER, "{}");
      assertFalse(pool.peer(late) == null, "a late viewer finds room in a full pool: " + late);
    }
    opening = "peer-z";
    pool.signal("peer-z", SignalKind.OFFER, "{}");
    assertNull(pool.peer("peer-z"));
    pool.signal("peer-q", SignalKind.ICE, "{}");
    assertNull(pool.peer("peer-q"), "a candidate from nobody we know is ignored");
  }

  @Test
  void whenBothOfferAtOnceTheOfferOfTheLowerIdStands() {
    connectTo("peer-a", "peer-z");
    // peer-a < peer-m: its offer stands, ours is dropped and its offer answered.
    opening = "peer-a";
    pool.signal("peer-a", SignalKind.OFFER, "{}");
    assertFalse(pool.peer("peer-a").initiator());
    assertEquals(List.of(SignalKind.OFFER), sessions.get("peer-a").signals);
    // peer-m < peer-z: our offer stands, theirs is ignored.
    pool.signal("peer-z", SignalKind.OFFER, "{}");
    assertTrue(pool.peer("peer-z").initiator());
    assertTrue(sessions.get("peer-z").signals.isEmpty());
  }

  @Test
  void aFailedSessionRemovesThePeerAndBansItForAWhile() {
    connectTo("peer-a");
    sessions.get("peer-a").spec.onFailed().run();
    assertEquals(0, pool.size());
    assertTrue(banned.get("peer-a") > clock.now());
    assertEquals(List.of("closed peer-a"), events);
  }

  @Test
  void announceSendsHoldingsToConnectedPeers() {
    connectTo("peer-a");
    FakeChannel far = channelUp("peer-a");
    clock.advance(1000);
    pool.announce();
    long haves = far.other().sent.stream().filter(bytes -> bytes[0] == 2).count();
    assertEquals(2, haves, "the HAVE after HELLO, and the announced one");
  }

  private static PeerFrame last(List<PeerFrame> frames) {
    return frames.get(frames.size() - 1);
  }
}
