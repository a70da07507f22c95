package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.origin.TestMedia;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge in front of the real origin module serving a real clip made by ffmpeg: what viewers get
 * through the edge is what the origin publishes, byte for byte and validator for validator.
 */
class EdgeRealOriginTest {

  @TempDir static Path tempDir;

  private static Vertx originVertx;
  private static OriginServer origin;
  private static TestMedia.VodClip clip;
  private static EdgeClient direct;
  private RunningEdge edge;
  private EdgeClient viaEdge;

  @BeforeAll
  static void start() throws Exception {
    Path media = Files.createDirectories(tempDir.resolve("media"));
    clip = TestMedia.vodClip(media, "clip");
    originVertx = Vertx.vertx();
    origin = new OriginServer(originVertx,
        OriginConfig.defaults().withDirectories(media, tempDir.resolve("data")).withPort(0),
        Observability.create(), null).start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    direct = new EdgeClient(origin.baseUrl());
  }

  /** A cold edge for each test. */
  @BeforeEach
  void startEdge() throws Exception {
    edge = RunningEdge.start(EdgeConfig.builder(origin.baseUrl()).port(0).build());
    viaEdge = edge.client();
  }

  @AfterEach
  void stopEdge() throws Exception {
    edge.close();
  }

  @AfterAll
  static void stop() throws Exception {
    direct.close();
    origin.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    originVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<Path> everyFile() {
    List<Path> files = new ArrayList<>(List.of(clip.playlist(), clip.init()));
    files.addAll(clip.segments());
    return files;
  }

  private static String pathOf(Path file) {
    return "/vod/clip/" + file.getFileName();
  }

  @Test
  void playlistsAndSegmentsComeThroughByteExactWithTheOriginsValidatorsThenFromCache() throws Exception {
    for (Path file : everyFile()) {
      String path = pathOf(file);
      Response fromOrigin = direct.get(path);
      Response miss = viaEdge.get(path);
      assertEquals(200, miss.status(), path);
      assertEquals("MISS", miss.header("X-Cache"), path);
      assertArrayEquals(Files.readAllBytes(file), miss.body(), path);
      assertNotNull(fromOrigin.header("ETag"), path);
      for (String header : List.of("ETag", "Last-Modified", "Content-Type", "Cache-Control")) {
        assertEquals(fromOrigin.header(header), miss.header(header), path + " " + header);
      }
      Response hit = viaEdge.get(path);
      assertEquals("HIT", hit.header("X-Cache"), path);
      assertArrayEquals(Files.readAllBytes(file), hit.body(), path);
      assertEquals(fromOrigin.header("ETag"), hit.header("ETag"), path);
    }
  }

  @Test
  void theSignedManifestComesThroughAsTheOriginSignedIt() throws Exception {
    Response fromOrigin = direct.get("/vod/clip/index.integrity.json");
    assertEquals(200, fromOrigin.status());
    Response miss = viaEdge.get("/vod/clip/index.integrity.json");
    assertArrayEquals(fromOrigin.body(), miss.body());
    assertEquals(fromOrigin.header("ETag"), miss.header("ETag"));
    assertArrayEquals(fromOrigin.body(), viaEdge.get("/vod/clip/index.integrity.json").body());
  }

  @Test
  void rangesAndConditionalsFromCacheAnswerLikeTheOrigin() throws Exception {
    Path segment = clip.segments().get(clip.segments().size() - 1);
    byte[] bytes = Files.readAllBytes(segment);
    String path = pathOf(segment);
    viaEdge.get(path);

    Response part = viaEdge.get(path, "Range", "bytes=100-1099");
    assertEquals(206, part.status());
    assertEquals("HIT", part.header("X-Cache"));
    assertEquals("bytes 100-1099/" + bytes.length, part.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(bytes, 100, 1100), part.body());
    Response fromOrigin = direct.get(path, "Range", "bytes=100-1099");
    assertEquals(fromOrigin.header("Content-Range"), part.header("Content-Range"));
    assertArrayEquals(fromOrigin.body(), part.body());

    Response tail = viaEdge.get(path, "Range", "bytes=-10");
    assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), tail.body());
    assertEquals(416, viaEdge.get(path, "Range", "bytes=" + bytes.length + "-").status());
    String etag = direct.get(path).header("ETag");
    assertEquals(304, viaEdge.get(path, "If-None-Match", etag).status());
    Response ifRange = viaEdge.get(path, "Range", "bytes=0-9", "If-Range", etag);
    assertEquals(206, ifRange.status());
    assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), ifRange.body());
  }
}
