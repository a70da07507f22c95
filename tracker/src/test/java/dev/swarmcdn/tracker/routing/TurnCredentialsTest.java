package dev.swarmcdn.tracker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.tracker.TurnConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

  private static final List<String> URLS = List.of("turn:turn.example.net:3478?transport=udp");

  /**
   * The vector, computed apart from this code:
   * {@code printf %s '1893456000:viewer-1' | openssl dgst -sha1 -hmac 'north-wind' -binary | base64}.
   */
  @Test
  void mintsCoturnsRestApiCredentialsForOneViewerUntilNowPlusTheLifetime() {
    TurnCredentials turn = new TurnCredentials(new TurnConfig(URLS, "north-wind", Duration.ofSeconds(3600)),
        () -> 1893456000L - 3600);
    IceServer server = turn.iceServerFor("viewer-1");
    assertEquals(URLS, server.urls());
    assertEquals("1893456000:viewer-1", server.username());
    assertEquals("XwsEaj+Jdn8No/5TJVasEJQeRAM=", server.credential());
  }

  @Test
  void aViewerIdWithAColonOrNoneIsRefused() {
    TurnCredentials turn = new TurnCredentials(new TurnConfig(URLS, "s", Duration.ofHours(1)), () -> 0);
    assertThrows(IllegalArgumentException.class, () -> turn.iceServerFor("a:b"));
    assertThrows(IllegalArgumentException.class, () -> turn.iceServerFor(""));
    assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(TurnConfig.NONE, () -> 0));
  }
}
