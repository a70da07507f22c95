package dev.swarmcdn.loadtests;

import static org.awaitility.Awaitility.await;

import dev.swarmcdn.launcher.Demo;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.origin.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the smoke runs load, started in this JVM on free ports of 127.0.0.1: {@code ./cdn demo}'s
 * system ({@link Demo}: origin with the live stream, tracker, one edge registered with it) with a
 * cheaper ladder, and a VOD title made by the origin's {@link TestMedia}.
 */
final class SmokeSystem implements AutoCloseable {

  static final String VOD_TITLE = "clip";
  /** ffmpeg needs a few seconds to write the first segments; this only stops a hang. */
  private static final Duration LIVE_BOUND = Duration.ofSeconds(90);

  private final Demo demo;

  private SmokeSystem(Demo demo) {
    this.demo = demo;
  }

  static SmokeSystem start(Path dir) throws Exception {
    Path media = dir.resolve("media");
    TestMedia.vodClip(media, VOD_TITLE);
    Demo demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), media)
            // The ladder of launcher's DemoTest: CI shares two cores with the load generator.
            .withLadder(Rendition.parseLadder("180p:320x180:200,90p:160x90:100"), 15),
        List.of(0), 0);
    SmokeSystem system = new SmokeSystem(demo);
    try {
      system.awaitLiveSegments();
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  String edge() {
    return demo.edgeUrls().get(0);
  }

  String tracker() {
    return demo.tracker().baseUrl();
  }

  /** Live viewers get segments from their first playlist load on: the window has some through the edge. */
  private void awaitLiveSegments() {
    HttpClient http = HttpClient.newHttpClient();
    String master = demo.masterPlaylistUrl(edge());
    await().atMost(LIVE_BOUND).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      String variant = HlsPlaylists.variants(master, get(http, master)).get(0);
      return !HlsPlaylists.media(variant, get(http, variant)).segments().isEmpty();
    });
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + answer.statusCode());
    }
    return answer.body();
  }

  @Override
  public void close() {
    demo.close();
  }
}
