package dev.swarmcdn.tracker.webtorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Announce;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Event;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Scrape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and writing the JSON; the protocol itself is tested end to end in WebTorrentProtocolTest. */
class WebTorrentCodecTest {

  private static final String HASH = "\u00e2\u0000\"\\abcdefghijklmnop";
  private static final String HASH_JSON = "\"\\u00e2\\u0000\\\"\\\\abcdefghijklmnop\"";
  private static final String PEER = "-WW0208-abcdefghijkl";

  @Test
  void offersAndAnswersAreKeptAsTheExactTextTheyCameAs() throws Exception {
    String offer = "{ \"type\" : \"offer\", \"sdp\":\"v=0\\r\\n\\u00e9\u00e9\u20ac\", \"x\":[{\"y\":[]}] }";
    Announce announce = assertInstanceOf(Announce.class, WebTorrentCodec.decode(
        "{\"numwant\":5,\"action\":\"announce\",\"info_hash\":" + HASH_JSON + ",\"peer_id\":\"" + PEER
            + "\",\"event\":\"started\",\"offers\":[{\"offer\":" + offer + ",\"offer_id\":\"" + PEER + "\"}]}"));
    assertEquals(HASH, announce.infoHash().chars());
    assertEquals(Event.STARTED, announce.event());
    assertEquals(5, announce.numwant());
    assertNull(announce.left());
    assertEquals(offer, announce.offers().get(0).json());

    String answer = "{\"type\":\"answer\",\"sdp\":\"}\\\"{\"}";
    Announce answering = assertInstanceOf(Announce.class, WebTorrentCodec.decode(
        "{\"action\":\"announce\",\"info_hash\":" + HASH_JSON + ",\"peer_id\":\"" + PEER + "\",\"to_peer_id\":\""
            + PEER + "\",\"answer\":" + answer + ",\"offer_id\":\"" + PEER + "\"}"));
    assertEquals(answer, answering.answer().json());
    assertEquals(Event.UPDATE, answering.event());
  }

  @Test
  void relayedMessagesAreWrittenWithTheIdsEscapedAsJsonNeeds() throws Exception {
    BinaryId hash = new BinaryId(HASH);
    BinaryId peer = new BinaryId(PEER);
    Announce announce = (Announce) WebTorrentCodec.decode("{\"action\":\"announce\",\"info_hash\":" + HASH_JSON
        + ",\"peer_id\":\"" + PEER + "\",\"offers\":[{\"offer\":{\"sdp\":\"s\"},\"offer_id\":\"" + PEER + "\"}]}");
    assertEquals("{\"action\":\"announce\",\"offer\":{\"sdp\":\"s\"},\"offer_id\":\"" + PEER + "\",\"peer_id\":\""
            + PEER + "\",\"info_hash\":\"\u00e2\\u0000\\\"\\\\abcdefghijklmnop\"}",
        WebTorrentCodec.relayedOffer(announce.offers().get(0), peer, hash));
    assertEquals("{\"action\":\"announce\",\"interval\":120,\"info_hash\":\"\u00e2\\u0000\\\"\\\\abcdefghijklmnop\","
        + "\"complete\":2,\"incomplete\":3}", WebTorrentCodec.announceReply(hash, 120, new SwarmSize(5, 2)));
    assertEquals("{\"action\":\"scrape\",\"files\":{\"" + PEER + "\":{\"complete\":0,\"incomplete\":1,"
            + "\"downloaded\":0}},\"flags\":{\"min_request_interval\":60}}",
        WebTorrentCodec.scrapeReply(List.of(peer), List.of(new SwarmSize(1, 0)), 60));
    assertEquals("{\"failure reason\":\"invalid JSON\"}", WebTorrentCodec.failure("invalid JSON", null, null));
    assertEquals("{\"action\":\"scrape\",\"failure reason\":\"x\",\"info_hash\":\"" + PEER + "\"}",
        WebTorrentCodec.failure("x", "scrape", peer));
  }

  @Test
  void scrapesTakeOneHashOrSeveralOnceEach() throws Exception {
    Scrape one = (Scrape) WebTorrentCodec.decode("{\"action\":\"scrape\",\"info_hash\":\"" + PEER + "\"}");
    assertEquals(List.of(new BinaryId(PEER)), one.infoHashes());
    Scrape many = (Scrape) WebTorrentCodec.decode("{\"action\":\"scrape\",\"info_hash\":[" + HASH_JSON + ",\""
        + PEER + "\"," + HASH_JSON + "]}");
    assertEquals(List.of(new BinaryId(HASH), new BinaryId(PEER)), many.infoHashes());
  }

  @Test
  void refusalsSayWhatTheyCanOfTheMessage() {
    WebTorrentRefusal nested = assertThrows(WebTorrentRefusal.class, () -> WebTorrentCodec.decode(
        "{\"action\":\"announce\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}"));
    assertEquals(ErrorCode.MALFORMED, nested.code());
    WebTorrentRefusal noPeer = assertThrows(WebTorrentRefusal.class, () -> WebTorrentCodec.decode(
        "{\"action\":\"announce\",\"info_hash\":\"" + PEER + "\"}"));
    assertEquals("invalid peer_id", noPeer.getMessage());
    assertEquals("announce", noPeer.action());
    assertEquals(new BinaryId(PEER), noPeer.infoHash());
    WebTorrentRefusal answerNotObject = assertThrows(WebTorrentRefusal.class, () -> WebTorrentCodec.decode(
        "{\"action\":\"announce\",\"info_hash\":\"" + PEER + "\",\"peer_id\":\"" + PEER + "\",\"to_peer_id\":\""
            + PEER + "\",\"offer_id\":\"" + PEER + "\",\"answer\":\"v=0\"}"));
    assertEquals("answer must be an object", answerNotObject.getMessage());
    WebTorrentRefusal unknown = assertThrows(WebTorrentRefusal.class, () -> WebTorrentCodec.decode(
        "{\"action\":" + "\"x".repeat(1) + "\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, unknown.code());
    assertNull(unknown.action());
  }
}
