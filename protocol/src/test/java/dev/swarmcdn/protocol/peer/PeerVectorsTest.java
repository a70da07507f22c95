package dev.swarmcdn.protocol.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swarmcdn.protocol.peer.PeerFrame.Bye;
import dev.swarmcdn.protocol.peer.PeerFrame.Cancel;
import dev.swarmcdn.protocol.peer.PeerFrame.Have;
import dev.swarmcdn.protocol.peer.PeerFrame.Hello;
import dev.swarmcdn.protocol.peer.PeerFrame.Piece;
import dev.swarmcdn.protocol.peer.PeerFrame.Reject;
import dev.swarmcdn.protocol.peer.PeerFrame.Request;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors in src/test/resources/vectors/peer, which the browser player also runs. */
class PeerVectorsTest {

  private static final String DIR = "/vectors/peer/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  /** Listed, not discovered: a vector file that goes missing must fail the build. */
  static final List<String> FILES = List.of("envelope.json", "hello.json", "have.json", "request.json",
      "piece.json", "cancel.json", "reject.json", "bye.json", "limits.json");

  static JsonNode vector(String name) {
    try (InputStream in = PeerVectorsTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every message of every file, valid or not: the fuzz test mutates these. */
  static List<byte[]> allMessages() {
    List<byte[]> messages = new ArrayList<>();
    for (String name : FILES) {
      JsonNode file = vector(name);
      file.get("valid").forEach(v -> messages.add(HEX.parseHex(v.get("hex").textValue())));
      file.get("invalid").forEach(v -> messages.add(HEX.parseHex(v.get("hex").textValue())));
    }
    return messages;
  }

  @TestFactory
  Stream<DynamicTest> vectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : FILES) {
      JsonNode file = vector(name);
      for (JsonNode valid : file.get("valid")) {
        tests.add(DynamicTest.dynamicTest(name + " valid: " + valid.get("name").textValue(), () -> {
          byte[] bytes = HEX.parseHex(valid.get("hex").textValue());
          PeerFrame decoded = PeerCodec.decode(bytes);
          // Through text, so that 4 written as a long equals 4 read as an int.
          assertEquals(valid.get("frame"), JSON.readTree(fields(decoded).toString()));
          PeerFrame built = frame(valid.get("frame"));
          assertEquals(built, decoded);
          assertArrayEquals(bytes, PeerCodec.encode(built));
          assertEquals(bytes.length, PeerCodec.encodedLength(built));
        }));
      }
      for (JsonNode invalid : file.get("invalid")) {
        tests.add(DynamicTest.dynamicTest(name + " invalid: " + invalid.get("name").textValue(), () -> {
          PeerFrameException refused = assertThrows(PeerFrameException.class,
              () -> PeerCodec.decode(HEX.parseHex(invalid.get("hex").textValue())));
          assertEquals(invalid.get("error").textValue(), refused.error().wireName(), refused.getMessage());
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void everyTypeReasonAndErrorHasAVector() {
    Set<FrameType> types = EnumSet.noneOf(FrameType.class);
    Set<FrameError> errors = EnumSet.noneOf(FrameError.class);
    Set<RejectReason> rejects = EnumSet.noneOf(RejectReason.class);
    Set<ByeReason> byes = EnumSet.noneOf(ByeReason.class);
    for (String name : FILES) {
      JsonNode file = vector(name);
      for (JsonNode valid : file.get("valid")) {
        PeerFrame frame = frame(valid.get("frame"));
        types.add(frame.type());
        if (frame instanceof Reject reject) {
          rejects.add(reject.reason());
        } else if (frame instanceof Bye bye) {
          byes.add(bye.reason());
        }
      }
      file.get("invalid").forEach(v -> errors.add(FrameError.valueOf(v.get("error").textValue().toUpperCase(Locale.ROOT))));
    }
    assertEquals(EnumSet.allOf(FrameType.class), types);
    assertEquals(EnumSet.allOf(FrameError.class), errors);
    assertEquals(EnumSet.allOf(RejectReason.class), rejects);
    assertEquals(EnumSet.allOf(ByeReason.class), byes);
    assertEquals(PeerCodec.MAX_FRAME_LENGTH,
        PeerCodec.encode(frame(vector("limits.json").get("valid").get(0).get("frame"))).length,
        "limits.json starts with the largest frame");
  }

  // The vectors' JSON form of a frame, both ways.

  private static ObjectNode fields(PeerFrame frame) {
    ObjectNode node = JSON.createObjectNode().put("type", frame.type().name().toLowerCase(Locale.ROOT));
    if (frame instanceof Hello hello) {
      node.put("stream", hello.swarm().stream()).put("rendition", hello.swarm().rendition())
          .put("flags", hello.flags()).put("maxRequests", hello.maxRequests())
          .put("maxRequestBytes", hello.maxRequestBytes());
    } else if (frame instanceof Have have) {
      ranges(node.putArray("held"), have.held());
      ranges(node.putArray("fetching"), have.fetching());
    } else if (frame instanceof Request request) {
      node.put("requestId", request.requestId()).put("sequence", request.sequence())
          .put("start", request.start()).put("end", request.end());
    } else if (frame instanceof Piece piece) {
      ByteBuffer payload = piece.payload();
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      node.put("requestId", piece.requestId()).put("size", piece.size()).put("offset", piece.offset())
          .put("payload", HEX.formatHex(bytes));
    } else if (frame instanceof Cancel cancel) {
      node.put("requestId", cancel.requestId());
    } else if (frame instanceof Reject reject) {
      node.put("requestId", reject.requestId()).put("reason", reject.reason().wireName());
    } else if (frame instanceof Bye bye) {
      node.put("reason", bye.reason().wireName());
    }
    return node;
  }

  private static void ranges(ArrayNode array, List<SequenceRange> ranges) {
    ranges.forEach(r -> array.addObject().put("first", r.first()).put("count", r.count()));
  }

  static PeerFrame frame(JsonNode f) {
    switch (f.get("type").textValue()) {
      case "hello":
        return new Hello(new SwarmId(f.get("stream").textValue(), f.get("rendition").textValue()),
            f.get("flags").intValue(), f.get("maxRequests").intValue(), f.get("maxRequestBytes").longValue());
      case "have":
        return new Have(ranges(f.get("held")), ranges(f.get("fetching")));
      case "request":
        return new Request(f.get("requestId").longValue(), f.get("sequence").longValue(),
            f.get("start").longValue(), f.get("end").longValue());
      case "piece":
        return new Piece(f.get("requestId").longValue(), f.get("size").longValue(), f.get("offset").longValue(),
            ByteBuffer.wrap(HEX.parseHex(f.get("payload").textValue())));
      case "cancel":
        return new Cancel(f.get("requestId").longValue());
      case "reject":
        return new Reject(f.get("requestId").longValue(),
            RejectReason.valueOf(f.get("reason").textValue().toUpperCase(Locale.ROOT)));
      case "bye":
        return new Bye(ByeReason.valueOf(f.get("reason").textValue().toUpperCase(Locale.ROOT)));
      default:
        throw new IllegalArgumentException(f.toString());
    }
  }

  private static List<SequenceRange> ranges(JsonNode array) {
    List<SequenceRange> ranges = new ArrayList<>();
    array.forEach(r -> ranges.add(new SequenceRange(r.get("first").longValue(), r.get("count").longValue())));
    return ranges;
  }
}
