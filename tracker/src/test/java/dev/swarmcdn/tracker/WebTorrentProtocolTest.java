package dev.swarmcdn.tracker;

import static dev.swarmcdn.tracker.WebTorrentClient.binary;
import static dev.swarmcdn.tracker.WebTorrentClient.bytes;
import static dev.swarmcdn.tracker.WebTorrentClient.id;
import static dev.swarmcdn.tracker.WebTorrentClient.js;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.WebTorrentClient.Offer;
import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.webtorrent.BinaryId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebTorrent tracker protocol, driven message for message as bittorrent-tracker's websocket
 * client (which WebTorrent and p2p-media-loader 2.x use) drives it, binary ids included.
 */
class WebTorrentProtocolTest {

  /** An info_hash with bytes a UTF-8 reading would mangle, a quote, a backslash and control bytes. */
  private static final String TORRENT = binary(0x00, 0x01, 0x1f, 0x22, 0x5c, 0x7f, 0x80, 0x9f, 0xa0, 0xc3,
      0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xfe, 0xff);
  /** What p2p-media-loader 2.x sends: 20 base64 characters of a stream's SHA-1. */
  private static final String STREAM = "q83vEjRWeJq83vEjRWeJ";

  private RunningTracker tracker;

  @AfterEach
  void stop() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  private static Offer offer(String label) {
    return new Offer(id("offer-" + label), "v=0\r\no=- " + label + " 2 IN IP4 127.0.0.1\r\ns=-\r\n");
  }

  /** A client that has announced itself (no offers) into {@code torrent}. */
  private WebTorrentClient joined(String torrent, String peerId) throws Exception {
    WebTorrentClient client = tracker.webTorrent();
    client.start(torrent, peerId, List.of());
    client.expectReply(torrent);
    return client;
  }

  private double counter(String name, String... tags) {
    return tracker.registry().get(name).tags(tags).counter().count();
  }

  @Test
  void theAnnounceReplyCarriesIntervalAndCounts() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().webTorrent(true, Duration.ofSeconds(90)));
    WebTorrentClient alice = tracker.webTorrent();
    alice.start(TORRENT, id("alice"), List.of(offer("1"), offer("2")));
    JsonNode reply = alice.expectReply(TORRENT);
    assertEquals(90, reply.get("interval").asInt());
    assertEquals(0, reply.get("complete").asInt());
    assertEquals(1, reply.get("incomplete").asInt());
    assertArrayEquals(bytes(TORRENT), bytes(reply.get("info_hash").asText()));
    alice.expectNothingMore();
    assertEquals(1.0, counter("tracker.announces", "protocol", "webtorrent", "event", "started"));
    assertEquals(1.0, counter("tracker.joins", "protocol", "webtorrent"));
  }

  @Test
  void offersGoToOtherPeersWithTheSendersPeerIdBoundedByNumwantOffersAndSwarm() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().maxPeersListed(3));
    List<WebTorrentClient> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(joined(TORRENT, id("peer" + i)));
    }
    WebTorrentClient sender = tracker.webTorrent();
    String senderId = id("sender");

    // numwant 2 of 3 offers: two peers get one offer each.
    sender.announce(TORRENT, senderId, "started", 2, null, List.of(offer("a"), offer("b"), offer("c")));
    sender.expectReply(TORRENT);
    assertEquals(Set.of(id("offer-a"), id("offer-b")), offersReceived(others, senderId));

    // No numwant: every offer, at most the tracker's bound of 3, each to another peer.
    sender.announce(TORRENT, senderId, null, null, null,
        List.of(offer("d"), offer("e"), offer("f"), offer("g"), offer("h")));
    sender.expectReply(TORRENT);
    assertEquals(Set.of(id("offer-d"), id("offer-e"), id("offer-f")), offersReceived(others, senderId));

    // In a swarm of two, one offer of five reaches the one other peer.
    String small = id("small-swarm");
    WebTorrentClient only = joined(small, id("only"));
    sender.announce(small, senderId, "started", 5, null,
        List.of(offer("i"), offer("j"), offer("k"), offer("l"), offer("m")));
    sender.expectReply(small);
    JsonNode relayed = only.next();
    assertEquals(id("offer-i"), relayed.get("offer_id").asText());
    only.expectNothingMore();
    sender.expectNothingMore();
    assertEquals(6.0, counter("tracker.signals.relayed", "protocol", "webtorrent", "kind", "offer"));
  }

  /** The offer ids the peers received from {@code senderId}, each peer at most one. */
  private static Set<String> offersReceived(List<WebTorrentClient> peers, String senderId) throws Exception {
    Set<String> ids = new HashSet<>();
    for (WebTorrentClient peer : peers) {
      // A scrape sent now is answered after whatever the tracker relayed to this peer before.
      peer.scrape(id("probe"));
      JsonNode message = peer.next();
      if (message.path("action").asText().equals("scrape")) {
        continue;
      }
      assertEquals("announce", message.get("action").asText());
      assertEquals(senderId, message.get("peer_id").asText(), "the sender's peer_id");
      assertEquals(TORRENT, message.get("info_hash").asText());
      assertEquals("offer", message.get("offer").get("type").asText());
      assertTrue(message.get("offer").get("sdp").asText().startsWith("v=0\r\n"));
      assertNull(message.get("interval"), "a relayed offer is not an announce reply");
      assertTrue(ids.add(message.get("offer_id").asText()));
      assertEquals("scrape", peer.next().path("action").asText(), "one offer per peer");
    }
    return ids;
  }

  @Test
  void anAnswerGoesToTheOfferingPeerAndNothingBackToTheAnswerer() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    WebTorrentClient alice = joined(STREAM, id("alice"));
    WebTorrentClient bob = tracker.webTorrent();
    bob.start(STREAM, id("bob"), List.of(offer("1")));
    bob.expectReply(STREAM);
    JsonNode offer = alice.next();
    assertEquals(id("bob"), offer.get("peer_id").asText());

    alice.answer(STREAM, id("alice"), offer.get("peer_id").asText(), offer.get("offer_id").asText(), "v=0\r\nanswer\r\n");
    JsonNode answer = bob.next();
    assertEquals("announce", answer.get("action").asText());
    assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\nanswer\\r\\n\"}", answer.get("answer").toString());
    assertEquals(id("offer-1"), answer.get("offer_id").asText());
    assertEquals(id("alice"), answer.get("peer_id").asText(), "the answerer's peer_id");
    assertEquals(STREAM, answer.get("info_hash").asText());
    alice.expectNothingMore();
    bob.expectNothingMore();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        counter("tracker.signals.relayed", "protocol", "webtorrent", "kind", "answer") == 1.0);
    assertEquals(2, tracker.registry().get("tracker.relay.latency").tag("protocol", "webtorrent").timer().count());
  }

  @Test
  void binaryIdsWithEveryKindOfByteComeBackExactly() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    String alicePeer = binary(0xff, 0xfe, 0x80, 0x00, 0x0a, 0x22, 0x5c, 0x2f, 0xe2, 0x80, 0xa8, 0xc0, 0xaf,
        0xed, 0xa0, 0x80, 0x7f, 0x9d, 0x41, 0x20);
    String bobPeer = binary(0x2d, 0x57, 0x57, 0x30, 0x32, 0x30, 0x38, 0x2d, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86,
        0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c);
    String offerId = binary(0xd8, 0x00, 0xdc, 0x00, 0xff, 0xfd, 0xef, 0xbb, 0xbf, 0x01, 0x02, 0x03, 0x04, 0x05,
        0x06, 0x07, 0x08, 0x09, 0x0b, 0x0c);
    WebTorrentClient alice = joined(TORRENT, alicePeer);
    WebTorrentClient bob = tracker.webTorrent();
    // Written with every character as a \\u00XX escape, the way some clients and proxies write them.
    bob.sendRaw("{\"action\":\"announce\",\"info_hash\":" + WebTorrentClient.escaped(TORRENT) + ",\"peer_id\":"
        + WebTorrentClient.escaped(bobPeer) + ",\"numwant\":1,\"event\":\"started\",\"offers\":[{\"offer\":"
        + "{\"type\":\"offer\",\"sdp\":\"x\"},\"offer_id\":" + WebTorrentClient.escaped(offerId) + "}]}");
    assertEquals(2, bob.expectReply(TORRENT).get("incomplete").asInt(), "one swarm, however the id was written");

    JsonNode offer = alice.next();
    assertArrayEquals(bytes(bobPeer), bytes(offer.get("peer_id").asText()));
    assertArrayEquals(bytes(offerId), bytes(offer.get("offer_id").asText()));
    assertArrayEquals(bytes(TORRENT), bytes(offer.get("info_hash").asText()));

    alice.answer(TORRENT, alicePeer, offer.get("peer_id").asText(), offer.get("offer_id").asText(), "y");
    JsonNode answer = bob.next();
    assertArrayEquals(bytes(alicePeer), bytes(answer.get("peer_id").asText()));
    assertArrayEquals(bytes(offerId), bytes(answer.get("offer_id").asText()));
    assertArrayEquals(bytes(TORRENT), bytes(answer.get("info_hash").asText()));

    bob.scrape(TORRENT);
    JsonNode files = bob.next().get("files");
    assertArrayEquals(bytes(TORRENT), bytes(files.fieldNames().next()));
  }

  @Test
  void stoppedAndAClosedSocketTakeThePeerOut() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    WebTorrentClient alice = joined(STREAM, id("alice"));
    WebTorrentClient bob = joined(STREAM, id("bob"));
    WebTorrentClient carol = joined(STREAM, id("carol"));
    assertEquals(3.0, tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarm.members"));

    bob.announce(STREAM, id("bob"), "stopped", null, null, null);
    assertEquals(2, bob.expectReply(STREAM).get("incomplete").asInt());
    // Nothing of the swarm reaches a stopped peer: alice's offers go to carol only.
    alice.announce(STREAM, id("alice"), null, 5, null, List.of(offer("1"), offer("2")));
    alice.expectReply(STREAM);
    assertEquals(id("offer-1"), carol.next().get("offer_id").asText());
    bob.expectNothingMore();

    carol.close();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarm.members") == 1.0);
    alice.announce(STREAM, id("alice"), null, 5, null, List.of(offer("3")));
    assertEquals(1, alice.expectReply(STREAM).get("incomplete").asInt());
    alice.expectNothingMore();

    alice.close();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarms") == 0.0
            && tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.peers.connected") == 1.0);
  }

  @Test
  void aPeerThatCompletedOrLacksNothingCountsAsComplete() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    WebTorrentClient leecher = tracker.webTorrent();
    leecher.announce(TORRENT, id("leecher"), "started", 5, 1000L, List.of());
    JsonNode reply = leecher.expectReply(TORRENT);
    assertEquals(List.of(0, 1), List.of(reply.get("complete").asInt(), reply.get("incomplete").asInt()));

    WebTorrentClient seeder = tracker.webTorrent();
    seeder.announce(TORRENT, id("seeder"), "started", 5, 0L, List.of());
    reply = seeder.expectReply(TORRENT);
    assertEquals(List.of(1, 1), List.of(reply.get("complete").asInt(), reply.get("incomplete").asInt()));

    leecher.announce(TORRENT, id("leecher"), "completed", 5, 0L, null);
    reply = leecher.expectReply(TORRENT);
    assertEquals(List.of(2, 0), List.of(reply.get("complete").asInt(), reply.get("incomplete").asInt()));
    // Once complete, a later update saying otherwise does not make it a leecher again.
    leecher.announce(TORRENT, id("leecher"), null, 5, 10L, List.of());
    reply = leecher.expectReply(TORRENT);
    assertEquals(List.of(2, 0), List.of(reply.get("complete").asInt(), reply.get("incomplete").asInt()));

    seeder.announce(TORRENT, id("seeder"), "stopped", null, 0L, null);
    reply = seeder.expectReply(TORRENT);
    assertEquals(List.of(1, 0), List.of(reply.get("complete").asInt(), reply.get("incomplete").asInt()));
    assertEquals(1.0, counter("tracker.announces", "protocol", "webtorrent", "event", "completed"));
  }

  @Test
  void scrapesOfOneSeveralAndUnknownSwarms() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    WebTorrentClient seeder = tracker.webTorrent();
    seeder.announce(TORRENT, id("seeder"), "started", 5, 0L, List.of());
    seeder.expectReply(TORRENT);
    joined(TORRENT, id("leecher"));
    joined(STREAM, id("viewer"));
    WebTorrentClient asker = tracker.webTorrent();

    asker.scrape(TORRENT);
    JsonNode single = asker.next();
    assertEquals("scrape", single.get("action").asText());
    assertEquals(1, single.get("files").size());
    assertEquals("{\"complete\":1,\"incomplete\":1,\"downloaded\":1}", single.get("files").get(TORRENT).toString());
    assertEquals(120, single.get("flags").get("min_request_interval").asInt());

    String unknown = id("nobody");
    asker.scrape(TORRENT, STREAM, unknown, STREAM);
    JsonNode files = asker.next().get("files");
    assertEquals(List.of(TORRENT, STREAM, unknown), iterable(files.fieldNames()), "each swarm once, in order");
    assertEquals(1, files.get(STREAM).get("incomplete").asInt());
    assertEquals("{\"complete\":0,\"incomplete\":0,\"downloaded\":0}", files.get(unknown).toString());

    asker.scrape(id("unknown-1"), id("unknown-2"));
    JsonNode none = asker.next().get("files");
    assertEquals(2, none.size());
    none.elements().forEachRemaining(entry -> assertEquals(0, entry.get("incomplete").asInt()));
    assertEquals(3.0, counter("tracker.scrapes", "protocol", "webtorrent"));
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  @Test
  void oneSocketCarriesSeveralPeerIdsAndSwarmsAsASharedClientSocketDoes() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    // p2p-media-loader: one peer_id per stream, every stream's client on the page's one socket.
    WebTorrentClient page = tracker.webTorrent("/");
    page.start(STREAM, id("video-peer"), List.of());
    page.start(TORRENT, id("audio-peer"), List.of());
    page.expectReply(STREAM);
    page.expectReply(TORRENT);
    WebTorrentClient other = tracker.webTorrent("/");
    other.start(TORRENT, id("other"), List.of(offer("x")));
    other.expectReply(TORRENT);
    JsonNode offer = page.next();
    assertEquals(TORRENT, offer.get("info_hash").asText());
    page.answer(TORRENT, id("audio-peer"), id("other"), offer.get("offer_id").asText(), "z");
    assertEquals(id("audio-peer"), other.next().get("peer_id").asText());
    assertEquals(2.0, tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarms"));
  }

  @Test
  void webTorrentSwarmsAreKeptApartFromOurOwnProtocol() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    joined(TORRENT, id("alice"));
    TestPeer ours = tracker.peer();
    String hex = new BinaryId(TORRENT).hex();
    assertEquals(List.of(), ours.join(new SwarmId("webtorrent", hex), "edge-1", 1, null).peers(),
        "our peers are never listed WebTorrent peers, even in a swarm named like theirs");
    assertEquals(1.0, tracker.gauge(TrackerMetrics.WEBTORRENT, "tracker.swarm.members"));
    assertEquals(1.0, tracker.gauge("tracker.swarm.members"));
  }

  @Test
  void theEndpointsTakeWebSocketsOnly() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/", TrackerServer.WEBTORRENT_PATH)) {
      HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(tracker.server().baseUrl() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(426, plain.statusCode(), path);
      assertTrue(plain.body().contains("WebTorrent"), plain.body());
    }
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(tracker.server().baseUrl() + "/ready"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(ready.body().contains("\"webtorrent\":{\"swarms\":0,\"members\":0}"), ready.body());
  }

  @Test
  void withoutWebTorrentTheEndpointsAreNotThere() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().webTorrent(false, Duration.ofSeconds(120)));
    HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(tracker.server().baseUrl() + TrackerServer.WEBTORRENT_PATH)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, plain.statusCode());
    assertFalse(tracker.server().status().containsKey("webtorrent"));
  }

  @Test
  void jsQuotingIsWhatTheTestsSend() {
    assertEquals("\"a\\\"\\\\\\n\\u0001\u00e9\"", js("a\"\\\n\u0001\u00e9"));
  }
}
