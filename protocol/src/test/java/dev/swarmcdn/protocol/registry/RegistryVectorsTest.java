package dev.swarmcdn.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors in src/test/resources/vectors/registry: what edges and the tracker exchange. */
class RegistryVectorsTest {

  private static final String DIR = "/vectors/registry/";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Numbers equal as numbers: 4 and 4.0 are one JSON value to JavaScript. */
  private static final Comparator<JsonNode> NUMBERS = (a, b) ->
      a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue()) : (a.equals(b) ? 0 : 1);

  /** How one body is read and written back. */
  private record Body(Function<byte[], Object> read, Function<Object, String> write) {
  }

  private static final Map<String, Body> BODIES = Map.of(
      "registration", new Body(RegistryJson::readRegistration,
          value -> RegistryJson.registration((EdgeRegistration) value)),
      "load", new Body(RegistryJson::readLoad, value -> RegistryJson.load((EdgeLoad) value)),
      "answer", new Body(RegistryJson::readAnswer, value -> text(RegistryJson.answer((RegistryAnswer) value))));

  @TestFactory
  Stream<DynamicTest> vectors() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Body> body : BODIES.entrySet()) {
      JsonNode file = vector(body.getKey() + ".json");
      assertEquals(body.getKey(), file.get("body").textValue());
      for (JsonNode valid : file.get("valid")) {
        tests.add(DynamicTest.dynamicTest(body.getKey() + ": " + valid.get("name").textValue(), () -> {
          Object read = body.getValue().read().apply(bytes(valid.get("body").textValue()));
          JsonNode written = JSON.readTree(body.getValue().write().apply(read));
          assertTrue(written.equals(NUMBERS, valid.get("canonical")),
              "wrote " + written + ", expected " + valid.get("canonical"));
          assertEquals(read, body.getValue().read().apply(bytes(valid.get("canonical").toString())),
              "the canonical form reads as the same value");
        }));
      }
      for (JsonNode invalid : file.get("invalid")) {
        tests.add(DynamicTest.dynamicTest(body.getKey() + " refused: " + invalid.get("name").textValue(), () -> {
          IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
              () -> body.getValue().read().apply(bytes(invalid.get("body").textValue())));
          String expected = invalid.get("error").textValue();
          assertTrue(String.valueOf(refused.getMessage()).contains(expected),
              "refused with \"" + refused.getMessage() + "\", expected it to say \"" + expected + "\"");
        }));
      }
    }
    return tests.stream();
  }

  private static JsonNode vector(String name) {
    try (InputStream in = RegistryVectorsTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
