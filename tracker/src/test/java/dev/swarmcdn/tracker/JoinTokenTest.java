package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.access.JoinRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tracker with a secret: joins need a token for their stream, and nothing else gets in. */
class JoinTokenTest {

  private static final String SECRET = "s3cret";
  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  private RunningTracker tracker;
  private TestPeer peer;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().secret(SECRET));
    peer = tracker.peer();
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  private void assertRefused(String token, JoinRefusal refusal) throws Exception {
    peer.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, token));
    assertEquals(refusal.reason(), peer.expectError(ErrorCode.UNAUTHORIZED, "join").message());
  }

  private static long inAnHour() {
    return System.currentTimeMillis() / 1000 + 3600;
  }

  @Test
  void aValidTokenForTheStreamJoinsAnyOfItsRenditions() throws Exception {
    String token = TestTokens.valid(SECRET, "demo");
    peer.send(new ClientMessage.Join(SWARM, "edge-1", 1, null, token));
    peer.next(ServerMessage.Peers.class);
    peer.send(new ClientMessage.Join(new SwarmId("demo", "720p"), "edge-1", 1, null, token));
    peer.next(ServerMessage.Peers.class);
  }

  @Test
  void everyBadTokenIsUnauthorizedAndJoinsNothing() throws Exception {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    assertRefused(null, JoinRefusal.MISSING);
    assertRefused(TestTokens.signed(SECRET, header, "{\"stream\":\"demo\",\"exp\":1000}"), JoinRefusal.EXPIRED);
    assertRefused(TestTokens.signed("guess", header, "{\"stream\":\"demo\",\"exp\":" + inAnHour() + "}"),
        JoinRefusal.BAD_SIGNATURE);
    assertRefused(TestTokens.valid(SECRET, "news"), JoinRefusal.WRONG_STREAM);
    String unsigned = TestTokens.encode("{\"alg\":\"none\"}") + "."
        + TestTokens.encode("{\"stream\":\"demo\",\"exp\":" + inAnHour() + "}") + ".";
    assertRefused(unsigned, JoinRefusal.ALGORITHM);
    assertRefused("not-a-jwt", JoinRefusal.MALFORMED);
    assertEquals(0.0, tracker.gauge("tracker.swarm.members"));
    assertEquals(6.0, tracker.errors("unauthorized"));
    peer.expectNothingMore();
    assertTrue(!peer.isClosed(), "a refused token is not a bad frame");
  }
}
