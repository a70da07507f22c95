package dev.swarmcdn.protocol.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors in src/test/resources/vectors/tracker, which the browser peer also checks. */
class TrackerVectorsTest {

  private static final String DIR = "/vectors/tracker/";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Listed, not discovered: a vector file that goes missing must fail the build. */
  private static final List<String> FILES = List.of(
      "envelope.json",
      "client/join.json", "client/leave.json", "client/signal.json", "client/have.json", "client/stats.json",
      "client/ping.json",
      "server/welcome.json", "server/peers.json", "server/signal.json", "server/assign.json", "server/pong.json",
      "server/error.json");

  private interface Decoder {
    Object decode(String text) throws ProtocolException;
  }

  private static JsonNode vector(String name) {
    try (InputStream in = TrackerVectorsTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean fromClient(JsonNode file) {
    return "client".equals(file.get("direction").textValue());
  }

  private static String encode(Object message) {
    return message instanceof ClientMessage client ? TrackerCodec.encode(client)
        : TrackerCodec.encode((ServerMessage) message);
  }

  @Test
  void everyMessageTypeHasItsFile() {
    for (String type : List.of("join", "leave", "signal", "have", "stats", "ping")) {
      assertEquals(type, vector("client/" + type + ".json").get("type").textValue());
    }
    for (String type : List.of("welcome", "peers", "signal", "assign", "pong", "error")) {
      assertEquals(type, vector("server/" + type + ".json").get("type").textValue());
    }
  }

  @Test
  void everyErrorCodeHasAnExample() {
    List<String> codes = new ArrayList<>();
    vector("server/error.json").get("valid").forEach(c -> codes.add(c.get("canonical").get("code").textValue()));
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(codes.contains(code.wireName()), code.wireName());
    }
  }

  @TestFactory
  Stream<DynamicTest> vectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : FILES) {
      JsonNode file = vector(name);
      Decoder decoder = fromClient(file) ? TrackerCodec::decodeClient : TrackerCodec::decodeServer;
      for (JsonNode valid : file.get("valid")) {
        tests.add(DynamicTest.dynamicTest(name + " valid: " + valid.get("name").textValue(), () -> {
          Object message = decoder.decode(valid.get("frame").textValue());
          JsonNode canonical = valid.get("canonical");
          assertEquals(canonical, JSON.readTree(encode(message)));
          assertEquals(message, decoder.decode(JSON.writeValueAsString(canonical)));
        }));
      }
      for (JsonNode invalid : file.get("invalid")) {
        tests.add(DynamicTest.dynamicTest(name + " invalid: " + invalid.get("name").textValue(), () -> {
          ProtocolException refused = assertThrows(ProtocolException.class,
              () -> decoder.decode(invalid.get("frame").textValue()));
          assertEquals(invalid.get("error").textValue(), refused.code().wireName(), refused.getMessage());
          JsonNode ref = invalid.get("ref");
          assertEquals(ref == null ? null : ref.textValue(), refused.ref());
        }));
      }
    }
    return tests.stream();
  }
}
