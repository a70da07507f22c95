package dev.swarmcdn.edge;

import dev.swarmcdn.kit.http.framing.SlowHeads;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.framing.MalformedHeads;
import java.io.IOException;
import java.io.InputStream;
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

/** Hostile or broken clients get a clear status or a closed connection; everyone else is served. */
class EdgeBadInputTest {

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeServer edge;
  private EdgeClient client;
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    origin.put("/ok.m3u8", "#EXTM3U\n".getBytes(), 0, "Cache-Control", "max-age=60");
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0)
        .clientTimeout(Duration.ofSeconds(1)).build());
    edge = running.server();
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    trickler.shutdownNow();
    running.close();
    origin.close();
  }

  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      byte[] head = socket.getInputStream().readNBytes(12);
      return new String(head, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Request smuggling shapes, duplicate Host (the edge routes by host), no Host, bad escapes: 400,
   * closed, nothing after them read, and no stack trace in the log.
   */
  @ParameterizedTest
  @FieldSource("dev.swarmcdn.kit.http.framing.MalformedHeads#HEADS")
  void malformedHeadsAreRefusedAndTheConnectionClosed(String head) throws Exception {
    MalformedHeads.assertRefused(edge.port(), head, "/ok.m3u8");
    assertEquals(0, origin.requests("/ok.m3u8"), "nothing reached the origin");
  }

  @Test
  void aSlowlorisClientIsCutOffWhileOthersAreServed() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", edge.port())) {
      AtomicBoolean closed = SlowHeads.trickle(slow, "/ok.m3u8", trickler);
      assertEquals(200, client.get("/ok.m3u8").status(), "served while the slow client trickles");
      await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
    }
    assertEquals(200, client.get("/ok.m3u8").status());
  }

  @Test
  void aKeepAliveClientTricklingALaterRequestIsCutOffToo() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", edge.port())) {
      slow.setSoTimeout(5_000);
      // Two honest requests on one connection, then a third whose head never ends.
      slow.getOutputStream().write(("GET /ok.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /ok.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = slow.getInputStream();
      assertEquals("#EXTM3U\n", readResponse(in));
      assertEquals("#EXTM3U\n", readResponse(in));
      AtomicBoolean closed = SlowHeads.trickle(slow, "/ok.m3u8", trickler);
      await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
    }
    String metrics = new String(client.get("/metrics").body());
    assertTrue(metrics.contains("edge_slow_clients_closed_total 1.0"),
        "cut off by the head deadline, not by chance: " + metrics.lines()
            .filter(line -> line.startsWith("edge_slow_clients")).toList());
    assertEquals(200, client.get("/ok.m3u8").status());
  }

  /** Reads one response with a Content-Length from a raw connection and returns its body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  @Test
  void hugeUrlsAndHeadersGetTheirStatusAndTheEdgeKeepsServing() throws Exception {
    // Vert.x answers a request line it could not parse as HTTP/1.0.
    assertTrue(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").endsWith(" 414"));
    assertTrue(raw("GET /ok.m3u8 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n").endsWith(" 431"));
    assertTrue(raw("NOT HTTP AT ALL\r\n\r\n").endsWith(" 400"));
    assertEquals(200, client.get("/ok.m3u8").status());
  }
}
