package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.origin.Rendition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user gets from {@code ./cdn demo}: a live stream and a page that plays it. */
class DemoTest {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Demo demo;

  @AfterEach
  void stop() throws Exception {
    if (demo != null) {
      // Close Vert.x from this thread: a callback chained on it would be scheduled on a dead loop.
      demo.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      demo.vertx().close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void demoServesALiveStreamAndThePlayerPage() throws Exception {
    demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), dir.resolve("media"))
            // A cheaper ladder than the demo's own: CI shares two cores with other tests.
            .withLadder(Rendition.parseLadder("180p:320x180:200,90p:160x90:100"), 15))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get(demo.baseUrl() + "/ready").statusCode() == 200);

    HttpResponse<String> master = get(demo.masterPlaylistUrl());
    assertEquals(200, master.statusCode());
    assertTrue(master.body().startsWith("#EXTM3U"), master.body());
    assertTrue(master.body().contains("180p/index.m3u8") && master.body().contains("90p/index.m3u8"),
        master.body());

    HttpResponse<String> page = get(demo.playerUrl());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("vendor/hls.min.js"), "the page loads hls.js");
    HttpResponse<String> hls = get(demo.baseUrl() + "/player/vendor/hls.min.js");
    assertEquals(200, hls.statusCode());
    assertTrue(hls.body().length() > 100_000, "hls.js is bundled, not a placeholder");
  }
}
