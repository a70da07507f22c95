package dev.swarmcdn.protocol.tracker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON text of the tracker protocol, version 1, both directions. Decoding is strict about what it
 * reads (one JSON object, no duplicate keys, nothing after it, every field of the right type and
 * range) and ignores fields it does not know, so that version 1 can grow optional fields.
 */
public final class TrackerCodec {

  public static final int VERSION = 1;
  /** Deep enough for any SDP or candidate object, shallow enough to parse in bounded stack. */
  static final int MAX_NESTING_DEPTH = 16;

  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build())
      // Two values for one key would let two implementations read two different frames.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private TrackerCodec() {}

  /** Reads a frame a peer sent. */
  public static ClientMessage decodeClient(String text) throws ProtocolException {
    Frame frame = Frame.open(text);
    try {
      switch (frame.type) {
        case ClientMessage.Join.TYPE:
          return new ClientMessage.Join(frame.swarm(), frame.text("edge"), frame.integer("uploadSlots"),
              frame.optionalLong("have"), frame.optionalText("token"), frame.reports(), frame.flag("live"),
              frame.flag("seeder"));
        case ClientMessage.Leave.TYPE:
          return new ClientMessage.Leave(frame.swarm());
        case ClientMessage.Signal.TYPE:
          return new ClientMessage.Signal(frame.text("to"), frame.swarm(),
              SignalKind.fromWire(frame.text("kind")), frame.json("data"));
        case ClientMessage.Have.TYPE:
          return new ClientMessage.Have(frame.swarm(), frame.longValue("newest"));
        case ClientMessage.Stats.TYPE:
          return new ClientMessage.Stats(frame.swarm(), frame.longValue("http"), frame.longValue("p2p"),
              frame.longValue("seeder"), frame.longValue("uploaded"), frame.longValue("stalls"),
              frame.longValue("integrityFailures"));
        case ClientMessage.Ping.TYPE:
          return new ClientMessage.Ping();
        default:
          throw unknownType();
      }
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, e.getMessage(), frame.type);
    }
  }

  /** Reads a frame the tracker sent. */
  public static ServerMessage decodeServer(String text) throws ProtocolException {
    Frame frame = Frame.open(text);
    try {
      switch (frame.type) {
        case ServerMessage.Welcome.TYPE:
          return new ServerMessage.Welcome(frame.text("peerId"), frame.longValue("pingIntervalMs"));
        case ServerMessage.Peers.TYPE:
          return new ServerMessage.Peers(frame.swarm(), frame.peers());
        case ServerMessage.Signal.TYPE:
          return new ServerMessage.Signal(frame.text("from"), frame.swarm(),
              SignalKind.fromWire(frame.text("kind")), frame.json("data"));
        case ServerMessage.Assign.TYPE:
          return new ServerMessage.Assign(frame.swarm(), frame.longValue("sequence"), frame.peerIds("fetchers"));
        case ServerMessage.Pong.TYPE:
          return new ServerMessage.Pong();
        case ServerMessage.ErrorFrame.TYPE:
          return new ServerMessage.ErrorFrame(ErrorCode.fromWire(frame.text("code")), frame.text("message"),
              frame.optionalText("ref"));
        default:
          throw unknownType();
      }
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, e.getMessage(), frame.type);
    }
  }

  private static ProtocolException unknownType() {
    // The unknown name is not echoed: it is the sender's text, of any length.
    return new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown type", null);
  }

  public static String encode(ClientMessage message) {
    ObjectNode root = envelope(message.type());
    if (message instanceof ClientMessage.Join join) {
      putSwarm(root, join.swarm());
      root.put("edge", join.edge());
      root.put("uploadSlots", join.uploadSlots());
      if (join.have() != null) {
        root.put("have", join.have());
      }
      if (join.token() != null) {
        root.put("token", join.token());
      }
      if (!join.reports().isEmpty()) {
        ArrayNode reports = root.putArray("reports");
        join.reports().forEach(report -> reports.addObject()
            .put("peerId", report.peerId()).put("reason", report.reason().wireName()));
      }
      // Written only when true: a join of today's peers reads as it always did.
      if (join.live()) {
        root.put("live", true);
      }
      if (join.seeder()) {
        root.put("seeder", true);
      }
    } else if (message instanceof ClientMessage.Leave leave) {
      putSwarm(root, leave.swarm());
    } else if (message instanceof ClientMessage.Signal signal) {
      root.put("to", signal.to());
      putSwarm(root, signal.swarm());
      root.put("kind", signal.kind().wireName());
      root.putRawValue("data", new RawValue(signal.data()));
    } else if (message instanceof ClientMessage.Have have) {
      putSwarm(root, have.swarm());
      root.put("newest", have.newest());
    } else if (message instanceof ClientMessage.Stats stats) {
      putSwarm(root, stats.swarm());
      root.put("http", stats.http());
      root.put("p2p", stats.p2p());
      root.put("seeder", stats.seeder());
      root.put("uploaded", stats.uploaded());
      root.put("stalls", stats.stalls());
      root.put("integrityFailures", stats.integrityFailures());
    }
    return write(root);
  }

  public static String encode(ServerMessage message) {
    ObjectNode root = envelope(message.type());
    if (message instanceof ServerMessage.Welcome welcome) {
      root.put("peerId", welcome.peerId());
      root.put("pingIntervalMs", welcome.pingIntervalMs());
    } else if (message instanceof ServerMessage.Peers peers) {
      putSwarm(root, peers.swarm());
      ArrayNode list = root.putArray("peers");
      for (PeerInfo peer : peers.peers()) {
        ObjectNode entry = list.addObject()
            .put("peerId", peer.peerId())
            .put("locality", peer.locality().wireName());
        if (peer.have() != null) {
          entry.put("have", peer.have());
        }
        if (peer.seeder()) {
          entry.put("seeder", true);
        }
      }
    } else if (message instanceof ServerMessage.Assign assign) {
      putSwarm(root, assign.swarm());
      root.put("sequence", assign.sequence());
      ArrayNode fetchers = root.putArray("fetchers");
      assign.fetchers().forEach(fetchers::add);
    } else if (message instanceof ServerMessage.Signal signal) {
      root.put("from", signal.from());
      putSwarm(root, signal.swarm());
      root.put("kind", signal.kind().wireName());
      root.putRawValue("data", new RawValue(signal.data()));
    } else if (message instanceof ServerMessage.ErrorFrame error) {
      root.put("code", error.code().wireName());
      root.put("message", error.message());
      if (error.ref() != null) {
        root.put("ref", error.ref());
      }
    }
    return write(root);
  }

  private static ObjectNode envelope(String type) {
    return JSON.createObjectNode().put("v", VERSION).put("type", type);
  }

  private static void putSwarm(ObjectNode root, SwarmId swarm) {
    root.put("swarm", swarm.stream());
    root.put("rendition", swarm.rendition());
  }

  private static String write(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings, numbers and parsed JSON always serializes", e);
    }
  }

  /**
   * A number with an integral value: {@code 4} and {@code 4.0} alike, because JavaScript's
   * JSON.parse cannot tell them apart and both sides must judge a frame the same way.
   */
  private static boolean isInteger(JsonNode value) {
    return value.isNumber() && value.canConvertToExactIntegral();
  }

  /** One parsed frame whose envelope ({@code v}, {@code type}) has been checked. */
  private static final class Frame {
    private final JsonNode root;
    private final String type;

    private Frame(JsonNode root, String type) {
      this.root = root;
      this.type = type;
    }

    static Frame open(String text) throws ProtocolException {
      JsonNode root;
      try {
        root = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new ProtocolException(ErrorCode.MALFORMED, "not a single JSON document", null);
      }
      if (root == null || !root.isObject()) {
        throw new ProtocolException(ErrorCode.MALFORMED, "a frame must be a JSON object", null);
      }
      JsonNode version = root.get("v");
      if (version == null || !isInteger(version)) {
        throw new ProtocolException(ErrorCode.MALFORMED, "v must be an integer", null);
      }
      if (!version.canConvertToInt() || version.intValue() != VERSION) {
        throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this tracker speaks version " + VERSION, null);
      }
      JsonNode type = root.get("type");
      if (type == null || !type.isTextual()) {
        throw new ProtocolException(ErrorCode.MALFORMED, "type must be a string", null);
      }
      return new Frame(root, type.textValue());
    }

    SwarmId swarm() {
      return new SwarmId(text("swarm"), text("rendition"));
    }

    String text(String field) {
      String value = optionalText(field);
      if (value == null) {
        throw new IllegalArgumentException(field + " is required");
      }
      return value;
    }

    /** Absent and {@code null} both mean "not given". */
    String optionalText(String field) {
      JsonNode value = root.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        throw new IllegalArgumentException(field + " must be a string");
      }
      return value.textValue();
    }

    int integer(String field) {
      long value = longValue(field);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(field + " is out of range");
      }
      return (int) value;
    }

    long longValue(String field) {
      Long value = optionalLong(field);
      if (value == null) {
        throw new IllegalArgumentException(field + " is required");
      }
      return value;
    }

    Long optionalLong(String field) {
      return optionalLong(root, field);
    }

    static Long optionalLong(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!isInteger(value) || !value.canConvertToLong()) {
        throw new IllegalArgumentException(field + " must be an integer");
      }
      return value.longValue();
    }

    /** An optional boolean: absent or null is false. */
    boolean flag(String field) {
      return flag(root, field);
    }

    static boolean flag(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return false;
      }
      if (!value.isBoolean()) {
        throw new IllegalArgumentException(field + " must be true or false");
      }
      return value.booleanValue();
    }

    /** A required array of peer ids (checked by the record). */
    List<String> peerIds(String field) {
      JsonNode array = root.get(field);
      if (array == null || !array.isArray()) {
        throw new IllegalArgumentException(field + " must be an array");
      }
      List<String> ids = new ArrayList<>(array.size());
      for (JsonNode entry : array) {
        if (!entry.isTextual()) {
          throw new IllegalArgumentException(field + " must hold peer ids");
        }
        ids.add(entry.textValue());
      }
      return ids;
    }

    /** Any JSON value, {@code null} included, but the field must be there. */
    String json(String field) {
      JsonNode value = root.get(field);
      if (value == null) {
        throw new IllegalArgumentException(field + " is required");
      }
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a parsed tree always serializes", e);
      }
    }

    /** Absent or null: none. */
    List<PeerReport> reports() {
      JsonNode array = root.get("reports");
      if (array == null || array.isNull()) {
        return List.of();
      }
      if (!array.isArray() || array.size() > WireRules.MAX_REPORTS) {
        throw new IllegalArgumentException("reports must be an array of at most " + WireRules.MAX_REPORTS + " entries");
      }
      List<PeerReport> reports = new ArrayList<>(array.size());
      for (JsonNode entry : array) {
        JsonNode peerId = entry.get("peerId");
        JsonNode reason = entry.get("reason");
        if (!entry.isObject() || peerId == null || !peerId.isTextual() || reason == null || !reason.isTextual()) {
          throw new IllegalArgumentException("a report is an object with a peerId and a reason");
        }
        reports.add(new PeerReport(peerId.textValue(), ReportReason.fromWire(reason.textValue())));
      }
      return reports;
    }

    List<PeerInfo> peers() {
      JsonNode array = root.get("peers");
      if (array == null || !array.isArray()) {
        throw new IllegalArgumentException("peers must be an array");
      }
      List<PeerInfo> peers = new ArrayList<>(array.size());
      for (JsonNode entry : array) {
        if (!entry.isObject()) {
          throw new IllegalArgumentException("peers must hold objects");
        }
        JsonNode peerId = entry.get("peerId");
        JsonNode locality = entry.get("locality");
        if (peerId == null || !peerId.isTextual() || locality == null || !locality.isTextual()) {
          throw new IllegalArgumentException("a peer needs a peerId and a locality");
        }
        peers.add(new PeerInfo(peerId.textValue(), Locality.fromWire(locality.textValue()),
            optionalLong(entry, "have"), flag(entry, "seeder")));
      }
      return peers;
    }
  }
}
