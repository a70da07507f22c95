package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.kit.http.HttpDates;
import io.vertx.core.MultiMap;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 freshness through a running edge: what makes a stored response fresh, stale, or in need
 * of revalidation before each use. No test waits for time to pass: the origin's Age and Date say
 * how old a response already is. Stale-while-revalidate is off, so a stale entry is revalidated
 * before it is served and shows up as an origin request.
 */
class EdgeFreshnessTest {

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    startEdge(EdgeConfig.builder(origin.url()).port(0).stale(Duration.ZERO, Duration.ofSeconds(60)));
  }

  private void startEdge(EdgeConfig.Builder builder) throws Exception {
    running = RunningEdge.start(builder.build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  /** Asks twice; returns how often the origin was asked for the path. */
  private int originRequestsForTwoAsks(String path, String expectedBody) throws Exception {
    for (int i = 0; i < 2; i++) {
      Response answer = client.get(path);
      assertEquals(200, answer.status());
      assertEquals(expectedBody, new String(answer.body()));
    }
    return origin.requests(path);
  }

  @Test
  void sMaxAgeWinsOverMaxAgeForASharedCache() throws Exception {
    // 100 s old already: stale by max-age, fresh by s-maxage, and the other way round.
    origin.put("/shared.m4s", "s".getBytes(), 0, "Cache-Control", "max-age=60, s-maxage=600", "Age", "100");
    origin.put("/private-max.m4s", "p".getBytes(), 0, "Cache-Control", "max-age=600, s-maxage=60", "Age", "100");
    assertEquals(1, originRequestsForTwoAsks("/shared.m4s", "s"));
    assertEquals(2, originRequestsForTwoAsks("/private-max.m4s", "p"));
  }

  @Test
  void expiresGivesFreshnessFromTheDateAndAnInvalidOneMeansStale() throws Exception {
    long now = System.currentTimeMillis();
    String date = HttpDates.format(now);
    origin.put("/future.m4s", "f".getBytes(), 0, "Date", date, "Expires", HttpDates.format(now + 600_000));
    origin.put("/past.m4s", "p".getBytes(), 0, "Date", date, "Expires", HttpDates.format(now - 10_000));
    origin.put("/zero.m4s", "z".getBytes(), 0, "Date", date, "Expires", "0");
    origin.put("/garbage.m4s", "g".getBytes(), 0, "Date", date, "Expires", "next tuesday",
        "Last-Modified", HttpDates.format(now - 86_400_000));
    assertEquals(1, originRequestsForTwoAsks("/future.m4s", "f"));
    assertEquals(2, originRequestsForTwoAsks("/past.m4s", "p"));
    assertEquals(2, originRequestsForTwoAsks("/zero.m4s", "z"));
    assertEquals(2, originRequestsForTwoAsks("/garbage.m4s", "g"),
        "an invalid Expires is stale, not heuristically fresh from Last-Modified");
  }

  @Test
  void maxAgeWinsOverExpires() throws Exception {
    long now = System.currentTimeMillis();
    origin.put("/both.m4s", "b".getBytes(), 0, "Cache-Control", "max-age=0",
        "Date", HttpDates.format(now), "Expires", HttpDates.format(now + 600_000));
    assertEquals(2, originRequestsForTwoAsks("/both.m4s", "b"));
  }

  @Test
  void noCacheIsRevalidatedBeforeEveryUse() throws Exception {
    origin.put("/nc.m3u8", "#EXTM3U\n".getBytes(), 0, "Cache-Control", "no-cache, max-age=600", "ETag", "\"nc\"");
    for (int i = 0; i < 4; i++) {
      Response answer = client.get("/nc.m3u8");
      assertEquals(200, answer.status());
      assertEquals("#EXTM3U\n", new String(answer.body()));
    }
    assertEquals(4, origin.requests("/nc.m3u8"));
    assertEquals(3, origin.notModified("/nc.m3u8"), "every use after the first asked with the ETag, and got 304");
  }

  @Test
  void revalidationWithLastModifiedAloneUsesIfModifiedSince() throws Exception {
    String lastModified = HttpDates.format(System.currentTimeMillis() - 3_600_000);
    origin.put("/lm.m3u8", "#EXTM3U\n#lm\n".getBytes(), 0, "Cache-Control", "max-age=0", "Last-Modified", lastModified);
    client.get("/lm.m3u8");
    Response revalidated = client.get("/lm.m3u8");
    assertEquals("#EXTM3U\n#lm\n", new String(revalidated.body()));
    assertEquals(lastModified, revalidated.header("Last-Modified"));
    assertEquals(1, origin.notModified("/lm.m3u8"), "the origin answered the conditional request with 304");
    MultiMap conditional = origin.requestHeaders.get(origin.requestHeaders.size() - 1);
    assertEquals(lastModified, conditional.get("If-Modified-Since"));
    assertNull(conditional.get("If-None-Match"));
    // A client's own If-Modified-Since is answered from the refreshed entry.
    assertEquals(304, client.get("/lm.m3u8", "If-Modified-Since", lastModified).status());
  }

  @Test
  void aRangeOfAnObjectStaleOnArrivalIsCutFromTheResponseThatJustArrived() throws Exception {
    origin.put("/now.m4s", "0123456789".getBytes(), 0, "Cache-Control", "max-age=0");
    Response part = client.get("/now.m4s", "Range", "bytes=2-4");
    assertEquals(206, part.status());
    assertEquals("234", new String(part.body()));
    assertEquals(1, origin.requests("/now.m4s"));
  }

  @Test
  void operatorTtlsOverrideTheUpstreamPerKindOfObject() throws Exception {
    running.close();
    startEdge(EdgeConfig.builder(origin.url()).port(0).stale(Duration.ZERO, Duration.ofSeconds(60))
        .playlistTtl(Duration.ZERO).segmentTtl(Duration.ofDays(365)));
    origin.put("/live/index.m3u8", "#EXTM3U\n".getBytes(), 0, "Cache-Control", "max-age=600");
    origin.put("/live/seg_1.m4s", "seg".getBytes(), 0, "Cache-Control", "max-age=0");
    origin.put("/live/index.integrity.json", "{}".getBytes(), 0, "Cache-Control", "max-age=600");
    assertEquals(2, originRequestsForTwoAsks("/live/index.m3u8", "#EXTM3U\n"), "live playlists: always asked again");
    assertEquals(1, originRequestsForTwoAsks("/live/seg_1.m4s", "seg"), "segments: kept whatever the origin says");
    assertEquals(1, originRequestsForTwoAsks("/live/index.integrity.json", "{}"), "other objects follow the origin");
  }
}
