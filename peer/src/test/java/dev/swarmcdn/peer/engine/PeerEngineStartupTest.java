package dev.swarmcdn.peer.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Startup (web-player/README.md, "Startup"): the player's first segment comes over HTTP at once and
 * nothing of the swarm competes with it; the swarm joins once it is here. Against a real edge on
 * 127.0.0.1 whose tracker never answers and whose ICE servers, manifest and key never come.
 */
class PeerEngineStartupTest {
  private static final String PLAYLIST_PATH = "/live/demo/180p/index.m3u8";
  /** What the swarm asks of the edge first (the manifest comes after its key, which never does). */
  private static final Set<String> SWARM_PATHS = Set.of("/ws", "/_edge/ice-servers", "/keys/integrity.json");

  Vertx vertx;
  String edge;
  /** Paths asked of the edge, in order. */
  final List<String> asked = new CopyOnWriteArrayList<>();
  /** The first segment's answer, held until the test releases it. */
  final Promise<Void> releaseFirst = Promise.promise();
  PeerEngine engine;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    var server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    edge = "http://127.0.0.1:" + server.actualPort();
    engine = PeerEngine.create(vertx, EngineOptions.builder().tracker(edge.replace("http", "ws") + "/ws").build(), spec -> {
      throw new AssertionError("no peer to connect to");
    });
  }

  /** Segments: 1000 bytes (the first once released); the tracker, ICE servers, manifest and key: never. */
  private void answer(HttpServerRequest request) {
    asked.add(request.path());
    if (!request.path().endsWith(".m4s")) {
      return;
    }
    Future<Void> ready = request.path().endsWith("seg_4.m4s") ? releaseFirst.future() : Future.succeededFuture();
    ready.onComplete(ignored -> request.response().putHeader("Content-Type", "video/mp4").end(Buffer.buffer(new byte[1000])));
  }

  @AfterEach
  void stop() throws Exception {
    engine.submit(() -> {
      engine.close();
      return null;
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private MediaPlaylist playlist() {
    String base = edge + "/live/demo/180p/";
    return new MediaPlaylist(edge + PLAYLIST_PATH, true, List.of(4L, 5L, 6L).stream()
        .map(n -> new MediaPlaylist.Segment(n, n * 2.0, 2, "seg_" + n + ".m4s", base + "seg_" + n + ".m4s")).toList(), 400_000);
  }

  private Delivery load(long sequence) throws Exception {
    MediaPlaylist playlist = playlist();
    return engine.submit(() -> {
      engine.playlistLoaded(playlist, true);
      return engine.load(engine.segmentRef(playlist, playlist.segments().get((int) (sequence - 4))), sequence * 2.0, null);
    }).compose(delivery -> delivery).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String trackerState() throws Exception {
    return engine.submit(() -> engine.stats().tracker()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theFirstSegmentsComeOverHttpWhileTheTrackerManifestKeyAndIceServersHang() throws Exception {
    var first = vertx.executeBlocking(() -> load(4));
    await().atMost(Duration.ofSeconds(10)).until(() -> asked.contains("/live/demo/180p/seg_4.m4s"));
    assertEquals("off", trackerState(), "no tracker connection while the first segment loads");
    assertEquals(List.of("/live/demo/180p/seg_4.m4s"), asked, "its request came first and alone");

    releaseFirst.complete();
    assertEquals(1000, first.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).httpBytes());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(asked.containsAll(SWARM_PATHS), asked::toString));
    assertEquals("connecting", trackerState(), "the swarm joins once the first segment is here; the tracker never answers");

    Delivery second = load(5);
    assertEquals(1000, second.httpBytes(), "the next segment does not wait for what hangs either");
  }
}
