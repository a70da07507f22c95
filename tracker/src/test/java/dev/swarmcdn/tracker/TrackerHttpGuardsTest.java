package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.http.framing.SlowHeads;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.framing.MalformedHeads;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What the tracker's HTTP side does with hostile connections: malformed heads, and sockets that
 * hold a file descriptor by saying nothing or trickling a head (these once used up its descriptors).
 */
class TrackerHttpGuardsTest {

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);

  private RunningTracker tracker;
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder().clientTimeout(CLIENT_TIMEOUT));
  }

  @AfterEach
  void stop() throws Exception {
    trickler.shutdownNow();
    tracker.close();
  }

  /** Request smuggling shapes, duplicate or missing Host, bad escapes: 400, closed, nothing after read. */
  @ParameterizedTest
  @FieldSource("dev.swarmcdn.kit.http.framing.MalformedHeads#HEADS")
  void malformedHeadsAreRefusedAndTheConnectionClosed(String head) throws Exception {
    MalformedHeads.assertRefused(tracker.server().port(), head, "/health");
  }

  @Test
  void aSilentConnectionIsClosed() throws Exception {
    try (Socket silent = new Socket("127.0.0.1", tracker.server().port())) {
      // Blocks until the tracker closes it; the read timeout is the bound.
      silent.setSoTimeout(5_000);
      assertEquals(-1, silent.getInputStream().read());
    }
  }

  @Test
  void aKeepAliveConnectionSilentAfterItsResponseIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", tracker.server().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = MalformedHeads.readUntilClosed(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    }
  }

  @Test
  void aConnectionTricklingItsHeadIsCutOffWhileOthersAreServed() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", tracker.server().port())) {
      AtomicBoolean closed = SlowHeads.trickle(slow, "/health", trickler);
      assertEquals(200, new TrackerHttp(tracker.server().baseUrl(), null).send("GET", "/health", null).status());
      await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
    }
    // At least the trickler; the /health client's keep-alive connection, idle since its answer, may
    // be cut off by the same guard before the idle timeout closes it.
    await().atMost(Duration.ofSeconds(5))
        .until(() -> tracker.registry().counter("tracker_slow_clients_closed_total").count() >= 1.0);
  }

  @Test
  void aWebSocketOutlivesTheHttpTimeoutsAndIsNoLongerCountedAsHttp() throws Exception {
    TestPeer peer = tracker.peer();
    // Three client timeouts without a frame: the WebSocket's own silence limit is a minute.
    await().during(CLIENT_TIMEOUT.multipliedBy(3)).atMost(CLIENT_TIMEOUT.multipliedBy(5))
        .until(() -> !peer.isClosed());
    assertFalse(peer.isClosed());
    await().atMost(Duration.ofSeconds(5))
        .until(() -> tracker.registry().get("tracker_client_connections").gauge().value() == 0.0);
  }
}
