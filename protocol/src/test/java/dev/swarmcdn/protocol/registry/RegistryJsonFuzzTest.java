package dev.swarmcdn.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * Registry bodies come from edges over HTTP (behind the registry's bearer secret, but a buggy or
 * compromised edge is still outside), answers from the tracker. Each reader returns a value or
 * throws {@link IllegalArgumentException}, whose message goes back to the sender or to the log; a
 * value read, written back, reads the same.
 */
class RegistryJsonFuzzTest {

  @FuzzTest
  void registration(byte[] body) {
    EdgeRegistration registration;
    try {
      registration = RegistryJson.readRegistration(body);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertEquals(registration, RegistryJson.readRegistration(bytes(RegistryJson.registration(registration))));
  }

  @FuzzTest
  void load(byte[] body) {
    EdgeLoad load;
    try {
      load = RegistryJson.readLoad(body);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertEquals(load, RegistryJson.readLoad(bytes(RegistryJson.load(load))));
  }

  @FuzzTest
  void answer(byte[] body) {
    RegistryAnswer answer;
    try {
      answer = RegistryJson.readAnswer(body);
    } catch (IllegalArgumentException refused) {
      return;
    }
    String written;
    try {
      written = new ObjectMapper().writeValueAsString(RegistryJson.answer(answer));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertEquals(answer, RegistryJson.readAnswer(bytes(written)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
