package dev.swarmcdn.tracker.webtorrent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Announce;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Answer;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Event;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Offer;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Scrape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON text of the WebTorrent tracker protocol, as bittorrent-tracker's server and client speak
 * it. Requests are read in one streaming pass; the offer and answer objects are checked to be JSON
 * objects and kept as the text they arrived as, so relaying one costs no re-encoding. Fields the
 * tracker has no use for ({@code uploaded}, {@code downloaded}, {@code trackerid}, ...) are
 * skipped; a key given twice is refused, so no two readers can see two different messages.
 */
public final class WebTorrentCodec {

  public static final String ANNOUNCE = "announce";
  public static final String SCRAPE = "scrape";
  /** Deep enough for any session description, shallow enough to parse in bounded stack. */
  static final int MAX_NESTING_DEPTH = 16;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
  /** A field present with the wrong JSON type. */
  private static final Object WRONG = new Object();

  private WebTorrentCodec() {}

  /** Reads a message a client sent. */
  public static WebTorrentRequest decode(String text) throws WebTorrentRefusal {
    Fields fields = new Fields();
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw refusal(ErrorCode.MALFORMED, "a message must be a JSON object", null, null);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        fields.read(name, parser, text);
      }
      if (parser.nextToken() != null) {
        throw refusal(ErrorCode.MALFORMED, "a message must be a single JSON object", null, null);
      }
    } catch (IOException e) {
      // Jackson's message quotes the sender's text: say only what was wrong.
      throw refusal(ErrorCode.MALFORMED, "invalid JSON", null, null);
    }
    if (ANNOUNCE.equals(fields.action)) {
      return fields.announce();
    }
    if (SCRAPE.equals(fields.action)) {
      return fields.scrape();
    }
    // The unknown name is not echoed: it is the sender's text, of any length.
    throw refusal(ErrorCode.UNKNOWN_TYPE, "invalid action", null, null);
  }

  /** The answer to an announce: when to announce again, and the swarm's seeders and leechers. */
  public static String announceReply(BinaryId infoHash, int intervalSeconds, SwarmSize size) {
    StringBuilder out = new StringBuilder(128).append("{\"action\":\"announce\",\"interval\":").append(intervalSeconds);
    string(out.append(",\"info_hash\":"), infoHash.chars());
    return out.append(",\"complete\":").append(size.complete())
        .append(",\"incomplete\":").append(size.incomplete()).append('}').toString();
  }

  /** An offer relayed to a peer the tracker picked, naming the peer it comes from. */
  public static String relayedOffer(Offer offer, BinaryId from, BinaryId infoHash) {
    return relayed("offer", offer.json(), offer.offerId(), from, infoHash);
  }

  /** An answer relayed to the peer that made the offer, naming the peer it comes from. */
  public static String relayedAnswer(Answer answer, BinaryId from, BinaryId infoHash) {
    return relayed("answer", answer.json(), answer.offerId(), from, infoHash);
  }

  private static String relayed(String kind, String json, BinaryId offerId, BinaryId from, BinaryId infoHash) {
    StringBuilder out = new StringBuilder(json.length() + 160)
        .append("{\"action\":\"announce\",\"").append(kind).append("\":").append(json);
    string(out.append(",\"offer_id\":"), offerId.chars());
    string(out.append(",\"peer_id\":"), from.chars());
    string(out.append(",\"info_hash\":"), infoHash.chars());
    return out.append('}').toString();
  }

  /**
   * The answer to a scrape: for each swarm its seeders, leechers and, as bittorrent-tracker counts
   * it, its seeders again as the lower bound of completed downloads.
   */
  public static String scrapeReply(List<BinaryId> infoHashes, List<SwarmSize> sizes, int intervalSeconds) {
    StringBuilder out = new StringBuilder(32 + 80 * infoHashes.size()).append("{\"action\":\"scrape\",\"files\":{");
    for (int i = 0; i < infoHashes.size(); i++) {
      SwarmSize size = sizes.get(i);
      string(out.append(i == 0 ? "" : ","), infoHashes.get(i).chars());
      out.append(":{\"complete\":").append(size.complete()).append(",\"incomplete\":").append(size.incomplete())
          .append(",\"downloaded\":").append(size.complete()).append('}');
    }
    return out.append("},\"flags\":{\"min_request_interval\":").append(intervalSeconds).append("}}").toString();
  }

  /**
   * A refusal. {@code action} and {@code infoHash} go in when known, so that a client sharing one
   * socket among swarms can tell whose it is; a frame without {@code action} makes
   * bittorrent-tracker's client drop the socket and reconnect later.
   */
  public static String failure(String reason, String action, BinaryId infoHash) {
    StringBuilder out = new StringBuilder(96).append('{');
    if (action != null) {
      string(out.append("\"action\":"), action).append(',');
    }
    string(out.append("\"failure reason\":"), reason);
    if (infoHash != null) {
      string(out.append(",\"info_hash\":"), infoHash.chars());
    }
    return out.append('}').toString();
  }

  public static String failure(WebTorrentRefusal refusal) {
    return failure(refusal.getMessage(), refusal.action(), refusal.infoHash());
  }

  /** Appends {@code value} as a JSON string: every character kept, control characters escaped. */
  private static StringBuilder string(StringBuilder out, String value) {
    out.append('"');
    QUOTE.quoteAsString(value, out);
    return out.append('"');
  }

  private static WebTorrentRefusal refusal(ErrorCode code, String reason, String action, BinaryId infoHash) {
    return new WebTorrentRefusal(code, reason, action, infoHash);
  }

  /** The top-level fields of one message, as read; checked once the whole message is in. */
  private static final class Fields {
    private Object action;
    private Object infoHash;
    private Object peerId;
    private Object toPeerId;
    private Object offerId;
    private Object event;
    private Object answer;
    private Object offers;
    private Integer numwant;
    private Double left;

    void read(String name, JsonParser parser, String text) throws IOException {
      switch (name) {
        case "action":
          action = string(parser);
          break;
        case "info_hash":
          infoHash = parser.currentToken() == JsonToken.START_ARRAY ? strings(parser) : string(parser);
          break;
        case "peer_id":
          peerId = string(parser);
          break;
        case "to_peer_id":
          toPeerId = string(parser);
          break;
        case "offer_id":
          offerId = string(parser);
          break;
        case "event":
          event = string(parser);
          break;
        case "answer":
          answer = object(parser, text);
          break;
        case "offers":
          offers = offers(parser, text);
          break;
        case "numwant":
          // bittorrent-tracker's server ignores it; here it bounds the offers relayed when it is a number.
          numwant = parser.currentToken().isNumeric() ? (int) Math.max(0, Math.min(parser.getDoubleValue(), 1e6)) : null;
          break;
        case "left":
          left = parser.currentToken().isNumeric() ? parser.getDoubleValue() : null;
          break;
        default:
          parser.skipChildren();
      }
    }

    Announce announce() throws WebTorrentRefusal {
      if (!(infoHash instanceof String hash) || !BinaryId.isValid(hash)) {
        throw refusal(ErrorCode.MALFORMED, "invalid info_hash", ANNOUNCE, null);
      }
      BinaryId info = new BinaryId(hash);
      if (!(peerId instanceof String peer) || !BinaryId.isValid(peer)) {
        throw refusal(ErrorCode.MALFORMED, "invalid peer_id", ANNOUNCE, info);
      }
      Answer answerToRelay = null;
      if (answer != null) {
        if (!(toPeerId instanceof String to) || !BinaryId.isValid(to)) {
          throw refusal(ErrorCode.MALFORMED, "invalid `to_peer_id` (required with `answer`)", ANNOUNCE, info);
        }
        if (!(offerId instanceof String offer) || !BinaryId.isValid(offer)) {
          throw refusal(ErrorCode.MALFORMED, "invalid offer_id", ANNOUNCE, info);
        }
        if (!(answer instanceof String json)) {
          throw refusal(ErrorCode.MALFORMED, "answer must be an object", ANNOUNCE, info);
        }
        answerToRelay = new Answer(new BinaryId(to), new BinaryId(offer), json);
      }
      Event parsedEvent = Event.UPDATE;
      if (event != null) {
        parsedEvent = event instanceof String name ? Event.fromWire(name) : null;
        if (parsedEvent == null) {
          throw refusal(ErrorCode.MALFORMED, "invalid event", ANNOUNCE, info);
        }
      }
      if (offers == WRONG) {
        throw refusal(ErrorCode.MALFORMED, "offers must be objects with an offer object and an offer_id",
            ANNOUNCE, info);
      }
      @SuppressWarnings("unchecked")
      List<Offer> offerList = offers == null ? List.of() : (List<Offer>) offers;
      return new Announce(info, new BinaryId(peer), parsedEvent, numwant, left, offerList, answerToRelay);
    }

    Scrape scrape() throws WebTorrentRefusal {
      if (infoHash == null) {
        // bittorrent-tracker lists every swarm it has; this tracker does not give its swarms away.
        throw refusal(ErrorCode.MALFORMED, "info_hash is required", SCRAPE, null);
      }
      List<?> given = infoHash instanceof String single ? List.of(single)
          : infoHash instanceof List<?> many ? many : List.of(WRONG);
      Set<BinaryId> hashes = new LinkedHashSet<>();
      for (Object hash : given) {
        if (!(hash instanceof String chars) || !BinaryId.isValid(chars)) {
          throw refusal(ErrorCode.MALFORMED, "invalid info_hash", SCRAPE, null);
        }
        hashes.add(new BinaryId(chars));
      }
      if (hashes.isEmpty()) {
        throw refusal(ErrorCode.MALFORMED, "info_hash is required", SCRAPE, null);
      }
      return new Scrape(new ArrayList<>(hashes));
    }

    private static Object string(JsonParser parser) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      parser.skipChildren();
      return WRONG;
    }

    private static Object strings(JsonParser parser) throws IOException {
      List<Object> values = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        values.add(string(parser));
      }
      return values;
    }

    /** A JSON object, as the exact text it was sent as; {@link #WRONG} for any other value. */
    private static Object object(JsonParser parser, String text) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return WRONG;
      }
      int start = (int) parser.currentTokenLocation().getCharOffset();
      parser.skipChildren();
      int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
      return text.substring(start, end);
    }

    private static Object offers(JsonParser parser, String text) throws IOException {
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return WRONG;
      }
      List<Offer> offers = new ArrayList<>();
      boolean wrong = false;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        Offer offer = offer(parser, text);
        wrong |= offer == null;
        offers.add(offer);
      }
      return wrong ? WRONG : offers;
    }

    /** One entry of {@code offers}, or null if it is not {@code {"offer": {...}, "offer_id": "..."}}. */
    private static Offer offer(JsonParser parser, String text) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return null;
      }
      Object json = null;
      Object id = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if ("offer".equals(name)) {
          json = object(parser, text);
        } else if ("offer_id".equals(name)) {
          id = string(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (json instanceof String offer && id instanceof String offerId && BinaryId.isValid(offerId)) {
        return new Offer(new BinaryId(offerId), offer);
      }
      return null;
    }
  }
}
