package dev.swarmcdn.tracker.webtorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * WebTorrent messages come from any browser running a WebTorrent client. {@link WebTorrentCodec#decode}
 * returns a request or throws {@link WebTorrentRefusal}, whatever the text; the failure frame of a
 * refusal, the replies to a request and every offer or answer it relays are each one JSON object, the
 * relayed SDP object exactly as it arrived.
 */
class WebTorrentCodecFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BinaryId FROM = new BinaryId("p".repeat(BinaryId.LENGTH));

  @FuzzTest
  void decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    WebTorrentRequest request;
    try {
      request = WebTorrentCodec.decode(text);
    } catch (WebTorrentRefusal refused) {
      assertNotNull(refused.code());
      object(WebTorrentCodec.failure(refused));
      return;
    }
    if (request instanceof WebTorrentRequest.Announce announce) {
      object(WebTorrentCodec.announceReply(announce.infoHash(), 120, new SwarmSize(3, 1)));
      for (WebTorrentRequest.Offer offer : announce.offers()) {
        JsonNode relayed = object(WebTorrentCodec.relayedOffer(offer, FROM, announce.infoHash()));
        assertEquals(object(offer.json()), relayed.get("offer"));
        assertEquals(announce.infoHash().chars(), relayed.get("info_hash").textValue());
      }
      if (announce.answer() != null) {
        JsonNode relayed = object(WebTorrentCodec.relayedAnswer(announce.answer(), FROM, announce.infoHash()));
        assertEquals(object(announce.answer().json()), relayed.get("answer"));
        assertEquals(announce.answer().offerId().chars(), relayed.get("offer_id").textValue());
      }
    } else {
      WebTorrentRequest.Scrape scrape = (WebTorrentRequest.Scrape) request;
      List<SwarmSize> sizes = scrape.infoHashes().stream().map(hash -> new SwarmSize(2, 1)).toList();
      JsonNode reply = object(WebTorrentCodec.scrapeReply(scrape.infoHashes(), sizes, 120));
      assertEquals(scrape.infoHashes().size(), reply.get("files").size());
    }
  }

  private static JsonNode object(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      assertTrue(node != null && node.isObject(), json);
      return node;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
