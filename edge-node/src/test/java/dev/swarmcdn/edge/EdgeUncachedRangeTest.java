package dev.swarmcdn.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.edge.EdgeClient.Response;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ranges and conditional requests for objects the cache will not keep (no-store, private, too
 * large) are answered from the one upstream fetch they started: 206, 304 or 416, never a second
 * full fetch.
 */
class EdgeUncachedRangeTest {

  private static final int MAX_OBJECT = 1 << 20;
  private static final String LAST_MODIFIED = "Tue, 01 Apr 2025 10:00:00 GMT";

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).memory(4L << 20, MAX_OBJECT).build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aRangeOfAnObjectNotKeptIsA206FromTheOneFetch() throws Exception {
    byte[] noStore = random(100_000, 1);
    byte[] tooLarge = random(3 * MAX_OBJECT, 2);
    origin.put("/ns.m4s", noStore, 50, "Cache-Control", "no-store", "ETag", "\"ns\"");
    origin.put("/private.m4s", noStore, 50, "Cache-Control", "private, max-age=60");
    origin.put("/large.mp4", tooLarge, 50, "Cache-Control", "max-age=600");

    Response middle = client.get("/ns.m4s", "Range", "bytes=10-19");
    assertEquals(206, middle.status());
    assertEquals("bytes 10-19/100000", middle.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(noStore, 10, 20), middle.body());
    assertEquals(1, origin.requests("/ns.m4s"));

    Response open = client.get("/private.m4s", "Range", "bytes=99990-");
    assertEquals(206, open.status());
    assertArrayEquals(Arrays.copyOfRange(noStore, 99_990, 100_000), open.body());
    assertEquals(1, origin.requests("/private.m4s"));

    Response suffix = client.get("/large.mp4", "Range", "bytes=-5");
    assertEquals(206, suffix.status());
    assertEquals("bytes " + (tooLarge.length - 5) + "-" + (tooLarge.length - 1) + "/" + tooLarge.length,
        suffix.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(tooLarge, tooLarge.length - 5, tooLarge.length), suffix.body());
    assertEquals(1, origin.requests("/large.mp4"));

    assertEquals(416, client.get("/ns.m4s", "Range", "bytes=100000-").status());
    assertEquals(2, origin.requests("/ns.m4s"), "one fetch per request, as no-store asks");
  }

  @Test
  void aConditionalRequestForAnObjectNotKeptIsA304FromTheOneFetch() throws Exception {
    byte[] body = random(50_000, 3);
    origin.put("/ns.m3u8", body, 50, "Cache-Control", "no-store", "ETag", "\"v7\"", "Last-Modified", LAST_MODIFIED);
    Response byTag = client.get("/ns.m3u8", "If-None-Match", "\"v7\"");
    assertEquals(304, byTag.status());
    assertEquals(0, byTag.body().length);
    assertEquals("\"v7\"", byTag.header("ETag"));
    assertEquals(1, origin.requests("/ns.m3u8"));

    assertEquals(304, client.get("/ns.m3u8", "If-Modified-Since", LAST_MODIFIED).status());
    assertEquals(2, origin.requests("/ns.m3u8"));

    Response changed = client.get("/ns.m3u8", "If-None-Match", "\"v6\"");
    assertEquals(200, changed.status(), "another version: the whole object");
    assertArrayEquals(body, changed.body());
    assertEquals(412, client.get("/ns.m3u8", "If-Match", "\"v6\"").status());
    assertEquals(4, origin.requests("/ns.m3u8"));
  }

  @Test
  void aRangeOnAMissOfAKeptObjectIsServedAsItArrivesAndStored() throws Exception {
    byte[] body = random(200_000, 4);
    origin.put("/kept.m4s", body, 50, "Cache-Control", "max-age=600", "ETag", "\"k\"");
    Response part = client.get("/kept.m4s", "Range", "bytes=100-199");
    assertEquals(206, part.status());
    assertEquals("MISS", part.header("X-Cache"));
    assertArrayEquals(Arrays.copyOfRange(body, 100, 200), part.body());
    assertArrayEquals(body, client.get("/kept.m4s").body());
    // The range may have ended before the rest arrived: stored once the fill settles.
    await().atMost(Duration.ofSeconds(5)).until(() -> "HIT".equals(client.get("/kept.m4s").header("X-Cache")));
    assertEquals(1, origin.requests("/kept.m4s"));
  }
}
