package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;

import dev.swarmcdn.origin.Rendition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo as the browser tests start it: a lighter ladder than the demo's, since CI shares two
 * cores with the browser's pages, every port chosen by the system, and started once the live window
 * holds the segments a player starts with. As a JUnit extension ({@code @RegisterExtension}), it
 * closes the demo a test started once the test ends.
 */
final class LightDemo implements AfterEachCallback {
  private static final List<Rendition> LADDER = Rendition.parseLadder("360p:640x360:600,180p:320x180:200");

  private Demo started;

  /** Starts the test's demo in {@code dir} with {@code edges} edges; closed after the test. */
  Demo start(Path dir, int edges) throws Exception {
    started = start(dir, edges, null, HttpClient.newHttpClient());
    return started;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (started != null) {
      started.close();
      started = null;
    }
  }

  /** Starts it in {@code dir} with {@code edges} edges, over TLS if {@code tls} is not null. */
  static Demo start(Path dir, int edges, DemoTls tls, HttpClient http) throws Exception {
    Demo demo = Demo.start(Demo.defaultOrigin(0, dir.resolve("data"), dir.resolve("media")).withLadder(LADDER, 15),
        Collections.nCopies(edges, 0), 0, tls);
    try {
      awaitWindow(demo, http);
      return demo;
    } catch (RuntimeException | Error e) {
      demo.close();
      throw e;
    }
  }

  /** Players start three segments behind the live edge: waits until the window has them. */
  private static void awaitWindow(Demo demo, HttpClient http) {
    URI playlist = URI.create(demo.edgeUrls().get(0) + "/live/" + Demo.STREAM + "/360p/index.m3u8");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(playlist).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 && answer.body().split("#EXTINF", -1).length > 4;
    });
  }
}
