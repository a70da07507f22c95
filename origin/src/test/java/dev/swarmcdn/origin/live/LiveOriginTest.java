package dev.swarmcdn.origin.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.tls.TlsFiles;
import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.origin.Rendition;
import dev.swarmcdn.origin.integrity.MediaPlaylist;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import dev.swarmcdn.protocol.integrity.SegmentVerdict;
import dev.swarmcdn.protocol.integrity.VerifiedManifest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live origin end to end with a real ffmpeg: a cheap two-rendition ladder (15 fps, 1-second
 * segments) so that a full window exists after about 7 seconds on a shared 2-core machine. The tests
 * run in order on one origin: window, integrity, routing, retention, a packager killed from outside,
 * and the stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveOriginTest {

  private static final int WINDOW = 6;
  private static final String PLAYLIST = "/live/t/180p/index.m3u8";
  private static final Duration BOUND = Duration.ofSeconds(40);

  @TempDir
  static Path tmp;
  static Vertx vertx;
  static OriginServer origin;
  static HttpClient http = HttpClient.newHttpClient();
  static ManifestVerifier verifier;

  @BeforeAll
  static void startOrigin() throws Exception {
    Observability observability = Observability.create();
    vertx = observability.newVertx(new VertxOptions());
    OriginConfig config = new OriginConfig("127.0.0.1", 0, tmp.resolve("media"), tmp.resolve("data"),
        List.of("t"), "testsrc", Rendition.parseLadder("180p:320x180:200,90p:160x90:100"),
        1, WINDOW, 2, 15, "ffmpeg", null, TlsFiles.NONE);
    origin = new OriginServer(vertx, config, observability, null).start()
        .toCompletionStage().toCompletableFuture().get();
    verifier = ManifestVerifier.forKeyDocument(PublicKeyDocument.fromJson(get("/keys/integrity.json").body()));
  }

  @AfterAll
  static void closeVertx() throws Exception {
    origin.stop().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(origin.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(String path) throws Exception {
    HttpResponse<byte[]> response = get(path);
    assertEquals(200, response.statusCode(), path);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static MediaPlaylist playlist() throws Exception {
    return MediaPlaylist.parse(text(PLAYLIST));
  }

  static Path onDisk(String uri) {
    return tmp.resolve("data/live/t/180p").resolve(uri);
  }

  static long packagerPid() {
    return origin.status().getJsonObject("live").getJsonObject("t").getLong("ffmpegPid", -1L);
  }

  static double restartsMetric() throws Exception {
    Matcher m = Pattern.compile("(?m)^origin_live_packager_restarts_total\\{stream=\"t\"} (\\S+)$")
        .matcher(text("/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /** Fetches every file the playlist lists and checks it against the signed manifest. */
  static VerifiedManifest assertPlaylistMatchesManifest() throws Exception {
    MediaPlaylist playlist = playlist();
    VerifiedManifest manifest = verifier.verify(
        IntegrityManifestCodec.decode(get("/live/t/180p/index.integrity.json").body()), PLAYLIST);
    // The manifest may be one segment newer than the playlist fetched just before it, never older.
    assertTrue(manifest.content().mediaSequence() >= playlist.mediaSequence());
    assertEquals(playlist.initUris().size() >= 1, !manifest.content().inits().isEmpty());
    for (String uri : manifest.content().inits().stream().map(ManifestEntry::uri).toList()) {
      assertEquals(SegmentVerdict.MATCHES, manifest.verifySegment(uri, get("/live/t/180p/" + uri).body()), uri);
    }
    for (ManifestEntry entry : manifest.content().segments()) {
      HttpResponse<byte[]> segment = get("/live/t/180p/" + entry.uri());
      assertEquals(200, segment.statusCode(), entry.uri());
      assertEquals(SegmentVerdict.MATCHES, manifest.verifySegment(entry.uri(), segment.body()), entry.uri());
    }
    return manifest;
  }

  @Test
  @Order(1)
  void windowFillsAndSlides() throws Exception {
    await().atMost(BOUND).pollInterval(Duration.ofMillis(200))
        .until(() -> get(PLAYLIST).statusCode() == 200 && playlist().segments().size() == WINDOW);
    long sequence = playlist().mediaSequence();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(200))
        .until(() -> playlist().mediaSequence() > sequence);
    assertEquals(WINDOW, playlist().segments().size());
    assertEquals(200, get("/ready").statusCode());

    HttpResponse<byte[]> response = get(PLAYLIST);
    assertEquals("public, max-age=1", response.headers().firstValue("Cache-Control").orElse(""));
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("#EXT-X-SWARMCDN-INTEGRITY:URI=\"index.integrity.json\""), body);
    assertTrue(body.contains("#EXT-X-TARGETDURATION:1"), body);
    assertFalse(body.contains("#EXT-X-ENDLIST"), body);
  }

  @Test
  @Order(2)
  void everyListedSegmentMatchesTheSignedManifest() throws Exception {
    VerifiedManifest manifest = assertPlaylistMatchesManifest();
    assertEquals(WINDOW, manifest.content().segments().size());
    String uri = manifest.content().segments().get(0).uri();
    HttpResponse<byte[]> segment = get("/live/t/180p/" + uri);
    assertEquals("public, max-age=31536000, immutable", segment.headers().firstValue("Cache-Control").orElse(""));
    assertEquals(Files.size(onDisk(uri)), segment.body().length, "complete file");
    assertEquals("application/json", get("/live/t/180p/index.integrity.json").headers()
        .firstValue("Content-Type").orElse(""));
  }

  @Test
  @Order(3)
  void masterListsTheLadderAndUnpublishedNamesAre404() throws Exception {
    HttpResponse<byte[]> master = get("/live/t/master.m3u8");
    assertEquals("public, max-age=30", master.headers().firstValue("Cache-Control").orElse(""));
    String body = new String(master.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("RESOLUTION=320x180,CODECS=\"avc1.4d401f,mp4a.40.2\",FRAME-RATE=15.000\n180p/index.m3u8"), body);
    assertTrue(body.contains("RESOLUTION=160x90,CODECS=\"avc1.4d401f,mp4a.40.2\",FRAME-RATE=15.000\n90p/index.m3u8"), body);
    assertEquals(200, get("/live/t/90p/index.m3u8").statusCode());

    assertEquals(404, get("/live/t/180p/seg_e1_99999.m4s").statusCode());
    assertTrue(Files.exists(onDisk("packager_e1.m3u8")));
    assertEquals(404, get("/live/t/180p/packager_e1.m3u8").statusCode(), "ffmpeg's own files are never served");
    assertEquals(404, get("/live/t/180p/../180p/index.m3u8").statusCode());
    assertEquals(404, get("/live/other/master.m3u8").statusCode());
    assertEquals(404, get("/live/t/360p/index.m3u8").statusCode());
  }

  @Test
  @Order(4)
  void segmentsAreDeletedAfterWindowAndGrace() throws Exception {
    String oldest = playlist().segments().get(0).uri();
    assertTrue(Files.exists(onDisk(oldest)));
    await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).until(() -> !Files.exists(onDisk(oldest)));
    assertEquals(404, get("/live/t/180p/" + oldest).statusCode());
    try (var files = Files.list(onDisk(""))) {
      long segmentsOnDisk = files.filter(f -> f.getFileName().toString().endsWith(".m4s")).count();
      // window + about grace/segment in grace + one being written + one awaiting deletion
      assertTrue(segmentsOnDisk <= WINDOW + 2 + 3, "segments on disk: " + segmentsOnDisk);
    }
  }

  @Test
  @Order(5)
  void packagerKilledFromOutsideIsRestartedInANewEpoch() throws Exception {
    long pid = packagerPid();
    assertTrue(pid > 0);
    double restartsBefore = restartsMetric();
    assertEquals(0.0, restartsBefore);
    long sequenceBefore = playlist().mediaSequence();

    Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).start();
    assertEquals(0, kill.waitFor());

    await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
      String body = text(PLAYLIST);
      return body.contains("seg_e2_") && body.contains("seg_e1_") && body.contains("#EXT-X-DISCONTINUITY\n");
    });
    String spanning = text(PLAYLIST);
    assertTrue(spanning.contains("#EXT-X-MAP:URI=\"init_e2_180p.mp4\""), spanning);
    assertEquals(1.0, restartsMetric());
    assertEquals(2, origin.status().getJsonObject("live").getJsonObject("t").getInteger("epoch"));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertTrue(playlist().mediaSequence() > sequenceBefore);

    VerifiedManifest manifest = assertPlaylistMatchesManifest();
    assertTrue(manifest.content().inits().size() >= 1);
    long sequence = playlist().mediaSequence();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).until(() -> playlist().mediaSequence() > sequence);
    assertPlaylistMatchesManifest();
  }

  /** The playlist as the origin served it last before its stop. */
  static String beforeStop;

  @Test
  @Order(6)
  void stopLeavesNoPackagerBehind() throws Exception {
    long pid = packagerPid();
    assertTrue(pid > 0);
    beforeStop = text(PLAYLIST);
    origin.stop().toCompletionStage().toCompletableFuture().get();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    String dir = tmp.toAbsolutePath().toString();
    assertEquals(0, ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(dir)).orElse(false))
        .count(), "an ffmpeg writing into this test's folder is still running");
  }

  @Test
  @Order(7)
  void aRestartedOriginGoesOnWhereTheStoppedOneEnded() throws Exception {
    // Players and edges hold the stopped origin's window; edges may hold its segments as immutable
    // under their names. A new run on the same folder must continue that window: the same numbers
    // for the same files, the next numbers for new files of a new epoch, never a name reused.
    Observability observability = Observability.create();
    OriginConfig config = new OriginConfig("127.0.0.1", 0, tmp.resolve("media"), tmp.resolve("data"),
        List.of("t"), "testsrc", Rendition.parseLadder("180p:320x180:200,90p:160x90:100"),
        1, WINDOW, 2, 15, "ffmpeg", null, TlsFiles.NONE);
    origin = new OriginServer(vertx, config, observability, null).start()
        .toCompletionStage().toCompletableFuture().get();
    // Straight away, a second before the new ffmpeg can finish a segment: the old window, as the
    // origin left it.
    String restored = text(PLAYLIST);
    Map<String, Long> old = LivePlaylists.numbers(beforeStop);
    LivePlaylists.numbers(restored).forEach((uri, number) -> {
      assertFalse(uri.startsWith("seg_e3_"), uri);
      if (old.containsKey(uri)) {
        assertEquals(old.get(uri), number, uri);
      }
    });
    assertTrue(MediaPlaylist.parse(restored).mediaSequence() >= MediaPlaylist.parse(beforeStop).mediaSequence());
    long oldEpochs = LivePlaylists.lastDiscontinuitySequence(beforeStop);
    assertEquals(oldEpochs, LivePlaylists.lastDiscontinuitySequence(restored));
    assertPlaylistMatchesManifest();

    await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> text(PLAYLIST).contains("seg_e3_"));
    String spanning = text(PLAYLIST);
    Map<String, Long> numbers = LivePlaylists.numbers(spanning);
    assertEquals(LivePlaylists.lastNumberNotOf(numbers, "seg_e3_") + 1, numbers.get("seg_e3_00000.m4s"), spanning);
    assertTrue(spanning.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init_e3_180p.mp4\"\n"), spanning);
    assertEquals(oldEpochs + 1, LivePlaylists.lastDiscontinuitySequence(spanning), spanning);
    assertEquals(3, origin.status().getJsonObject("live").getJsonObject("t").getInteger("epoch"));
    assertPlaylistMatchesManifest();

    // Once the old epoch left the window, its discontinuity is counted, not tagged.
    await().atMost(BOUND).pollInterval(Duration.ofMillis(200))
        .until(() -> !text(PLAYLIST).contains("seg_e1_") && !text(PLAYLIST).contains("seg_e2_"));
    assertEquals(oldEpochs + 1, LivePlaylists.discontinuitySequence(text(PLAYLIST)));
  }
}
