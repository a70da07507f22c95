package dev.swarmcdn.tracker;

import static dev.swarmcdn.tracker.WebTorrentClient.id;
import static dev.swarmcdn.tracker.WebTorrentClient.js;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmcdn.tracker.WebTorrentClient.Offer;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.session.CloseCodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refusals of the WebTorrent protocol: failure frames, their counts, limits and closed connections. */
class WebTorrentLimitsTest {

  private static final String TORRENT = id("torrent");
  private static final String PEER = id("peer");

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private double errors(String code) {
    return tracker.errors(TrackerMetrics.WEBTORRENT, code);
  }

  /** The next message must be a failure of this action (null: none) and info_hash (null: none). */
  private static String expectFailure(WebTorrentClient client, String action, String infoHash) throws Exception {
    JsonNode failure = client.next();
    assertEquals(action, failure.hasNonNull("action") ? failure.get("action").asText() : null, failure.toString());
    assertEquals(infoHash, failure.hasNonNull("info_hash") ? failure.get("info_hash").asText() : null,
        failure.toString());
    return failure.get("failure reason").asText();
  }

  private static String announce(String infoHash, String peerId) {
    return "{\"action\":\"announce\",\"info_hash\":" + js(infoHash) + ",\"peer_id\":" + js(peerId) + "}";
  }

  @Test
  void everyMalformedMessageGetsAFailureFrame() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withMaxBadFrames(100)));
    WebTorrentClient client = tracker.webTorrent();

    client.sendRaw("{\"action\":\"announce\",");
    assertEquals("invalid JSON", expectFailure(client, null, null));
    client.sendRaw("[\"announce\"]");
    expectFailure(client, null, null);
    client.sendRaw("{\"action\":\"announce\"} {}");
    expectFailure(client, null, null);
    client.sendRaw("{\"action\":\"announce\",\"action\":\"scrape\"}");
    assertEquals("invalid JSON", expectFailure(client, null, null), "a key twice");
    client.sendRaw("{\"action\":\"connect\",\"info_hash\":" + js(TORRENT) + "}");
    assertEquals("invalid action", expectFailure(client, null, null));
    client.sendRaw("{\"info_hash\":" + js(TORRENT) + "}");
    assertEquals("invalid action", expectFailure(client, null, null));

    client.sendRaw("{\"action\":\"announce\",\"peer_id\":" + js(PEER) + "}");
    assertEquals("invalid info_hash", expectFailure(client, "announce", null));
    client.sendRaw(announce(TORRENT.substring(1), PEER));
    assertEquals("invalid info_hash", expectFailure(client, "announce", null), "19 characters");
    client.sendRaw(announce("0123456789abcdef0123456789abcdef01234567", PEER));
    assertEquals("invalid info_hash", expectFailure(client, "announce", null), "40 hex digits, as bittorrent-tracker");
    client.sendRaw(announce(TORRENT.substring(1) + "\u20ac", PEER));
    assertEquals("invalid info_hash", expectFailure(client, "announce", null), "a character past U+00FF is no byte");
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":12345,\"peer_id\":" + js(PEER) + "}");
    assertEquals("invalid info_hash", expectFailure(client, "announce", null));
    client.sendRaw(announce(TORRENT, PEER + "x"));
    assertEquals("invalid peer_id", expectFailure(client, "announce", TORRENT));
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"event\":\"exploded\"}");
    assertEquals("invalid event", expectFailure(client, "announce", TORRENT));
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"offers\":[{\"offer\":\"v=0\",\"offer_id\":" + js(id("o")) + "}]}");
    expectFailure(client, "announce", TORRENT);
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"offers\":[{\"offer\":{\"type\":\"offer\",\"sdp\":\"x\"},\"offer_id\":\"short\"}]}");
    expectFailure(client, "announce", TORRENT);
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"answer\":{\"type\":\"answer\",\"sdp\":\"x\"},\"offer_id\":" + js(id("o")) + "}");
    assertEquals("invalid `to_peer_id` (required with `answer`)", expectFailure(client, "announce", TORRENT));
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"answer\":{\"type\":\"answer\",\"sdp\":\"x\"},\"to_peer_id\":" + js(id("x")) + "}");
    assertEquals("invalid offer_id", expectFailure(client, "announce", TORRENT));
    client.sendRaw("{\"action\":\"scrape\"}");
    assertEquals("info_hash is required", expectFailure(client, "scrape", null));
    client.sendRaw("{\"action\":\"scrape\",\"info_hash\":[" + js(TORRENT) + ",\"short\"]}");
    assertEquals("invalid info_hash", expectFailure(client, "scrape", null));

    assertEquals(17.0, errors("malformed"));
    assertEquals(2.0, errors("unknown_type"));
    client.expectNothingMore();
    assertFalse(client.isClosed());
  }

  @Test
  void fieldsTheTrackerDoesNotNeedAreLenient() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    WebTorrentClient client = tracker.webTorrent();
    // Strings where numbers belong, unknown fields and a tracker id: as bittorrent-tracker, no failure.
    client.sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(TORRENT) + ",\"peer_id\":" + js(PEER)
        + ",\"numwant\":\"5\",\"left\":\"lots\",\"uploaded\":null,\"trackerid\":\"t\",\"port\":6881,"
        + "\"offers\":[],\"extra\":{\"nested\":[1,2,{\"x\":null}]}}");
    assertEquals(1, client.expectReply(TORRENT).get("incomplete").asInt());
  }

  @Test
  void refusalsOfTheTrackersOwnRulesAreFailuresForThatSwarm() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withSwarms(2, 2)));
    WebTorrentClient client = tracker.webTorrent();
    client.start(id("one"), PEER, List.of());
    client.start(id("two"), PEER, List.of());
    client.expectReply(id("one"));
    client.expectReply(id("two"));
    client.start(id("three"), PEER, List.of());
    assertEquals("at most 2 swarms per connection", expectFailure(client, "announce", id("three")));

    WebTorrentClient thief = tracker.webTorrent();
    thief.start(id("one"), PEER, List.of());
    assertEquals("peer_id is in use on another connection", expectFailure(thief, "announce", id("one")));
    thief.start(id("one"), id("thief"), List.of());
    thief.expectReply(id("one"));
    WebTorrentClient third = tracker.webTorrent();
    third.start(id("one"), id("third"), List.of());
    assertEquals("swarm is full", expectFailure(third, "announce", id("one")));

    // Answers go only to a peer of the answerer's own swarm, and only from a peer in it.
    third.answer(id("one"), id("third"), PEER, id("o"), "x");
    assertEquals("announce in this swarm before answering", expectFailure(third, "announce", id("one")));
    thief.answer(id("one"), id("thief"), id("nobody"), id("o"), "x");
    assertEquals("no peer with that to_peer_id in this swarm", expectFailure(thief, "announce", id("one")));
    WebTorrentClient elsewhere = tracker.webTorrent();
    elsewhere.start(id("elsewhere"), id("elsewhere"), List.of());
    elsewhere.expectReply(id("elsewhere"));
    thief.answer(id("one"), id("thief"), id("elsewhere"), id("o"), "x");
    expectFailure(thief, "announce", id("one"));
    elsewhere.expectNothingMore();
    client.expectNothingMore();

    // Stopping frees the place in the swarm, and the peer_id once no swarm of its connection uses it.
    client.announce(id("one"), PEER, "stopped", null, null, null);
    client.expectReply(id("one"));
    third.start(id("one"), PEER, List.of());
    assertEquals("peer_id is in use on another connection", expectFailure(third, "announce", id("one")));
    client.announce(id("two"), PEER, "stopped", null, null, null);
    client.expectReply(id("two"));
    third.start(id("one"), PEER, List.of());
    third.expectReply(id("one"));

    assertEquals(2.0, errors("limit_exceeded"));
    assertEquals(2.0, errors("unauthorized"));
    assertEquals(1.0, errors("not_joined"));
    assertEquals(2.0, errors("unknown_peer"));
  }

  @Test
  void tooLargeAndTooFastMessagesAreRefusedAndRepeatedBadFramesClose() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS
        .withFrameBytes(1024, 4096).withRate(0.01, 6).withMaxBadFrames(2)));
    WebTorrentClient client = tracker.webTorrent();
    client.start(TORRENT, PEER, List.of(new Offer(id("o"), "x".repeat(2000))));
    assertEquals("messages are limited to 1024 bytes", expectFailure(client, null, null));
    client.socket().writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1}), true));
    assertEquals("frames must be text", expectFailure(client, null, null));
    client.start(TORRENT, PEER, List.of());
    client.expectReply(TORRENT);
    client.scrape(TORRENT);
    client.next();
    client.scrape(TORRENT);
    client.next();
    client.scrape(TORRENT);
    client.next();
    // The burst of 6 is spent: the next is refused, the third bad frame closes.
    client.scrape(TORRENT);
    assertEquals("more than 0.01 messages per second", expectFailure(client, null, null));
    assertEquals(CloseCodes.POLICY_VIOLATION, client.awaitClose());
    assertEquals(1.0, errors("too_large"));
    assertEquals(1.0, errors("rate_limited"));
    assertEquals(1.0, tracker.disconnects(TrackerMetrics.WEBTORRENT, "bad_frames"));
    await().atMost(Duration.ofSeconds(5)).until(() ->
        tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarm.members") == 0.0);
  }

  @Test
  void aMessagePastTheHardLimitClosesAtOnce() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS.withFrameBytes(1024, 4096)));
    WebTorrentClient client = tracker.webTorrent();
    client.start(TORRENT, PEER, List.of(new Offer(id("o"), "x".repeat(10_000))));
    assertEquals(CloseCodes.MESSAGE_TOO_BIG, client.awaitClose());
    assertEquals(1.0, tracker.disconnects(TrackerMetrics.WEBTORRENT, "too_large"));
  }

  @Test
  void theTrackerPingsSilentClientsAndClosesThoseThatDoNotAnswer() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().ping(Duration.ofMillis(100), 3));
    WebTorrentClient answering = tracker.webTorrent();
    answering.start(TORRENT, PEER, List.of());
    answering.expectReply(TORRENT);
    WebTorrentClient gone = tracker.webTorrent();
    gone.start(TORRENT, id("gone"), List.of());
    gone.expectReply(TORRENT);
    // Stops reading: neither sees the tracker's pings nor answers them, as a vanished browser.
    gone.socket().pause();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        tracker.disconnects(TrackerMetrics.WEBTORRENT, "ping_timeout") == 1.0);
    assertEquals(1.0, tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarm.members"));
    gone.socket().resume();
    gone.awaitClose();
    // The answering client, silent itself all along, is still there: its browser answered the pings.
    answering.scrape(TORRENT);
    assertEquals(1, answering.next().get("files").get(TORRENT).get("incomplete").asInt());
    assertFalse(answering.isClosed());
  }

  @Test
  void offersToAPeerThatDoesNotReadAreDroppedAndTheReaderStays() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().limits(TrackerLimits.DEFAULTS
        .withRate(100_000, 100_000).withWriteQueueBytes(64 * 1024).withSignalsPerPeer(100_000)));
    WebTorrentClient reader = tracker.webTorrent();
    reader.start(TORRENT, id("reader"), List.of());
    reader.expectReply(TORRENT);
    reader.socket().pause();
    WebTorrentClient sender = tracker.webTorrent();
    sender.start(TORRENT, PEER, List.of());
    sender.expectReply(TORRENT);
    String sdp = "v=0\r\n" + "a=x\r\n".repeat(2000);
    // Bounded: far more than the kernel's socket buffers and the queue together hold.
    for (int i = 0; i < 4000 && declined() == 0.0; i++) {
      sender.announce(TORRENT, PEER, null, 1, null, List.of(new Offer(id("o" + i), sdp)));
      sender.expectReply(TORRENT);
    }
    assertTrue(declined() > 0.0, "offers were dropped once the reader's share of its queue was full");
    assertEquals(0.0, tracker.disconnects(TrackerMetrics.WEBTORRENT, "slow_reader"));
    assertFalse(reader.isClosed());
    sender.start(TORRENT, PEER, List.of());
    assertEquals(2, sender.expectReply(TORRENT).get("incomplete").asInt(), "the reader is still in the swarm");
    assertFalse(sender.isClosed());
    // Reading again, it takes what was queued and can be closed like any client.
    reader.socket().resume();
  }

  private double declined() {
    return tracker.registry().counter("tracker.signals.declined", "protocol", TrackerMetrics.WEBTORRENT).count();
  }
}
