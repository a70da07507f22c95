package dev.swarmcdn.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.http.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A WebTorrent tracker client for tests, writing each message the way bittorrent-tracker's
 * websocket client does (its field order, its {@code JSON.stringify} escaping: binary ids go out as
 * raw characters, UTF-8 on the wire, and control characters as escapes), and reading what the
 * tracker sends it, in order. Ids are "binary strings": one char per byte.
 */
final class WebTorrentClient extends TestSocket {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** An offer as the client sends it: {@code offer_id} and a session description. */
  record Offer(String offerId, String sdp) {
    String json() {
      return "{\"offer\":{\"type\":\"offer\",\"sdp\":" + js(sdp) + "},\"offer_id\":" + js(offerId) + "}";
    }
  }

  private WebTorrentClient(WebSocketClient client) {
    super(client);
  }

  static WebTorrentClient connect(WebSocketClient client, int port, String path) throws Exception {
    WebTorrentClient peer = new WebTorrentClient(client);
    peer.open(port, path, Map.of());
    return peer;
  }

  /** JavaScript's JSON.stringify of a string: only quote, backslash and control characters escaped. */
  static String js(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Every character as a {@code \\u00XX} escape: the other way a binary id can be written. */
  static String escaped(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      out.append(String.format("\\u%04x", (int) c));
    }
    return out.append('"').toString();
  }

  /** A binary string of these bytes. */
  static String binary(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  /** A 20-character binary id from a short label, padded with bytes from 0x80 up. */
  static String id(String label) {
    StringBuilder out = new StringBuilder(label);
    for (int i = 0; out.length() < 20; i++) {
      out.append((char) (0x80 + i * 7 % 0x80));
    }
    return out.substring(0, 20);
  }

  /** The bytes a binary string stands for. */
  static byte[] bytes(String binary) {
    return binary.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * An announce as bittorrent-tracker's client sends it: its announce options first (numwant,
   * uploaded, downloaded, left when known, event when there is one), then action, info_hash and
   * peer_id, then the offers.
   */
  void announce(String infoHash, String peerId, String event, Integer numwant, Long left, List<Offer> offers) {
    StringBuilder out = new StringBuilder("{");
    if (numwant != null) {
      out.append("\"numwant\":").append(numwant).append(',');
    }
    out.append("\"uploaded\":0,\"downloaded\":0,");
    if (left != null) {
      out.append("\"left\":").append(left).append(',');
    }
    if (event != null) {
      out.append("\"event\":").append(js(event)).append(',');
    }
    out.append("\"action\":\"announce\",\"info_hash\":").append(js(infoHash))
        .append(",\"peer_id\":").append(js(peerId));
    if (offers != null) {
      List<String> items = new ArrayList<>();
      offers.forEach(offer -> items.add(offer.json()));
      out.append(",\"offers\":[").append(String.join(",", items)).append(']');
    }
    sendRaw(out.append('}').toString());
  }

  /** The announce bittorrent-tracker's client sends on start, with offers and no {@code left}. */
  void start(String infoHash, String peerId, List<Offer> offers) {
    announce(infoHash, peerId, "started", offers.size(), null, offers);
  }

  /** The answer bittorrent-tracker's client sends once its peer answered an offer. */
  void answer(String infoHash, String peerId, String toPeerId, String offerId, String sdp) {
    sendRaw("{\"action\":\"announce\",\"info_hash\":" + js(infoHash) + ",\"peer_id\":" + js(peerId)
        + ",\"to_peer_id\":" + js(toPeerId) + ",\"answer\":{\"type\":\"answer\",\"sdp\":" + js(sdp)
        + "},\"offer_id\":" + js(offerId) + "}");
  }

  /** A scrape: one info_hash as a string, several as an array, as the client does. */
  void scrape(String... infoHashes) {
    List<String> quoted = new ArrayList<>();
    for (String hash : infoHashes) {
      quoted.add(js(hash));
    }
    String value = infoHashes.length == 1 ? quoted.get(0) : "[" + String.join(",", quoted) + "]";
    sendRaw("{\"action\":\"scrape\",\"info_hash\":" + value + "}");
  }

  /** The next message from the tracker, within a bound. */
  JsonNode next() throws Exception {
    String received = poll();
    assertNotNull(received, "nothing from the tracker within " + WAIT_SECONDS + " s");
    return JSON.readTree(received);
  }

  /** The next message must be the announce reply for this swarm; returns it. */
  JsonNode expectReply(String infoHash) throws Exception {
    JsonNode reply = next();
    assertEquals("announce", reply.path("action").asText(), reply.toString());
    assertEquals(infoHash, reply.path("info_hash").asText(), reply.toString());
    assertEquals(null, reply.get("failure reason"), reply.toString());
    return reply;
  }

  /** The next message must be a failure; returns its reason. */
  String expectFailure() throws Exception {
    JsonNode failure = next();
    assertNotNull(failure.get("failure reason"), "expected a failure, got " + failure);
    return failure.get("failure reason").asText();
  }

  /**
   * Proves the tracker sent nothing else so far: a scrape sent now is answered after everything the
   * tracker handled before it, so the next message must be its reply.
   */
  void expectNothingMore() throws Exception {
    String probe = id("probe");
    scrape(probe);
    JsonNode reply = next();
    assertEquals("scrape", reply.path("action").asText(), "expected only the probe's reply, got " + reply);
  }
}
