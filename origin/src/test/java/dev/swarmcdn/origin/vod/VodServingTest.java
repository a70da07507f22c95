package dev.swarmcdn.origin.vod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.kit.http.FileValidators;
import dev.swarmcdn.kit.http.HttpDates;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** On-demand files over real HTTP: types, caching, validators, conditionals, ranges, HEAD. */
class VodServingTest {

  @TempDir
  static Path tempDir;

  private static RunningOrigin origin;
  private static byte[] segment;
  private static String segmentPath;
  private static String segmentEtag;
  private static String segmentLastModified;

  @BeforeAll
  static void start() throws Exception {
    origin = RunningOrigin.start(tempDir);
    Path first = origin.clip.segments().get(0);
    segment = Files.readAllBytes(first);
    segmentPath = "/vod/clip/" + first.getFileName();
    BasicFileAttributes attributes = Files.readAttributes(first, BasicFileAttributes.class);
    segmentEtag = FileValidators.strongEtag(attributes);
    segmentLastModified = HttpDates.format(attributes.lastModifiedTime().toMillis());
    for (String name : new String[] {"subs.vtt", "audio.aac", "old.ts", "notes.txt", "data.json"}) {
      Files.writeString(origin.mediaRoot.resolve(name), "content of " + name);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    origin.close();
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void playlistIsServedWithItsTypeValidatorsAndShortCaching() throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", "/vod/clip/index.m3u8");
    assertEquals(200, response.statusCode());
    assertArrayEquals(Files.readAllBytes(origin.clip.playlist()), response.body());
    assertEquals("application/vnd.apple.mpegurl", header(response, "Content-Type"));
    assertEquals("public, max-age=60", header(response, "Cache-Control"));
    assertEquals("bytes", header(response, "Accept-Ranges"));
    assertEquals(Long.toString(Files.size(origin.clip.playlist())), header(response, "Content-Length"));
    BasicFileAttributes attributes = Files.readAttributes(origin.clip.playlist(), BasicFileAttributes.class);
    assertEquals(FileValidators.strongEtag(attributes), header(response, "ETag"));
    assertEquals(HttpDates.format(attributes.lastModifiedTime().toMillis()), header(response, "Last-Modified"));
    assertTrue(HttpDates.parse(header(response, "Date")).isPresent());
  }

  @Test
  void segmentsAndInitAreImmutable() throws Exception {
    HttpResponse<byte[]> media = origin.send("GET", segmentPath);
    assertEquals(200, media.statusCode());
    assertArrayEquals(segment, media.body());
    assertEquals("video/iso.segment", header(media, "Content-Type"));
    assertEquals("public, max-age=31536000, immutable", header(media, "Cache-Control"));
    assertEquals(segmentEtag, header(media, "ETag"));

    HttpResponse<byte[]> init = origin.send("GET", "/vod/clip/init.mp4");
    assertEquals(200, init.statusCode());
    assertArrayEquals(Files.readAllBytes(origin.clip.init()), init.body());
    assertEquals("video/mp4", header(init, "Content-Type"));
    assertEquals("public, max-age=31536000, immutable", header(init, "Cache-Control"));
  }

  @ParameterizedTest
  @CsvSource({
      "subs.vtt,  text/vtt,                 'public, max-age=31536000, immutable'",
      "audio.aac, audio/aac,                'public, max-age=31536000, immutable'",
      "old.ts,    video/mp2t,               'public, max-age=31536000, immutable'",
      "data.json, application/json,         'public, max-age=300'",
      "notes.txt, application/octet-stream, 'public, max-age=300'",
  })
  void otherFilesGetTheirTypeAndCaching(String name, String type, String cacheControl) throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", "/vod/" + name);
    assertEquals(200, response.statusCode());
    assertEquals("content of " + name, new String(response.body(), StandardCharsets.UTF_8));
    assertEquals(type, header(response, "Content-Type"));
    assertEquals(cacheControl, header(response, "Cache-Control"));
  }

  @ParameterizedTest
  @CsvSource({"bytes=0-0, 0, 0", "bytes=100-199, 100, 199", "bytes=-500, -1, -1", "bytes=1000-, 1000, -1",
      "bytes=10-999999999, 10, -1"})
  void singleRangeIsPartialContentWithExactBytes(String range, long first, long last) throws Exception {
    long from = first < 0 ? segment.length - 500 : first;
    long to = last < 0 ? segment.length - 1 : last;
    HttpResponse<byte[]> response = origin.send("GET", segmentPath, "Range", range);
    assertEquals(206, response.statusCode());
    assertEquals("bytes " + from + "-" + to + "/" + segment.length, header(response, "Content-Range"));
    assertEquals(Long.toString(to - from + 1), header(response, "Content-Length"));
    assertArrayEquals(Arrays.copyOfRange(segment, (int) from, (int) to + 1), response.body());
    assertEquals(segmentEtag, header(response, "ETag"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=%d-", "bytes=%d-99999999", "bytes=-0"})
  void rangeBeyondTheEndIsUnsatisfiable(String pattern) throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", segmentPath, "Range", String.format(pattern, segment.length));
    assertEquals(416, response.statusCode());
    assertEquals("bytes */" + segment.length, header(response, "Content-Range"));
    assertEquals(0, response.body().length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-1,5-9", "bytes=9-1", "bytes=a-b", "items=0-1", "bytes 0-1"})
  void multipleMalformedOrForeignRangesGetTheWholeFile(String range) throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", segmentPath, "Range", range);
    assertEquals(200, response.statusCode());
    assertArrayEquals(segment, response.body());
    assertFalse(response.headers().firstValue("Content-Range").isPresent());
  }

  @Test
  void matchingIfNoneMatchIsNotModifiedWithValidatorsAndNoBody() throws Exception {
    for (String tag : new String[] {segmentEtag, "W/" + segmentEtag, "\"nope\", " + segmentEtag, "*"}) {
      HttpResponse<byte[]> response = origin.send("GET", segmentPath, "If-None-Match", tag);
      assertEquals(304, response.statusCode(), tag);
      assertEquals(0, response.body().length);
      assertEquals(segmentEtag, header(response, "ETag"));
      assertEquals("public, max-age=31536000, immutable", header(response, "Cache-Control"));
      assertEquals(segmentLastModified, header(response, "Last-Modified"));
    }
    assertEquals(200, origin.send("GET", segmentPath, "If-None-Match", "\"other\"").statusCode());
  }

  @Test
  void ifModifiedSinceCountsOnlyWithoutIfNoneMatchAndWhenValid() throws Exception {
    assertEquals(304, origin.send("GET", segmentPath, "If-Modified-Since", segmentLastModified).statusCode());
    assertEquals(304, origin.send("HEAD", segmentPath, "If-Modified-Since", segmentLastModified).statusCode());
    assertEquals(200, origin.send("GET", segmentPath, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
    assertEquals(200, origin.send("GET", segmentPath, "If-Modified-Since", "not a date").statusCode());
    assertEquals(200, origin.send("GET", segmentPath, "If-None-Match", "\"other\"",
        "If-Modified-Since", segmentLastModified).statusCode());
  }

  @Test
  void ifRangeDecidesWhetherTheRangeApplies() throws Exception {
    assertEquals(206, origin.send("GET", segmentPath, "Range", "bytes=0-9", "If-Range", segmentEtag).statusCode());
    assertEquals(206, origin.send("GET", segmentPath, "Range", "bytes=0-9", "If-Range", segmentLastModified).statusCode());
    for (String stale : new String[] {"\"old\"", "W/" + segmentEtag, "Thu, 01 Jan 1970 00:00:00 GMT"}) {
      HttpResponse<byte[]> response = origin.send("GET", segmentPath, "Range", "bytes=0-9", "If-Range", stale);
      assertEquals(200, response.statusCode(), stale);
      assertArrayEquals(segment, response.body());
    }
  }

  @Test
  void headSendsTheSameHeadersAsGetWithoutBody() throws Exception {
    HttpResponse<byte[]> get = origin.send("GET", segmentPath);
    HttpResponse<byte[]> head = origin.send("HEAD", segmentPath);
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
    for (String name : new String[] {"Content-Length", "Content-Type", "ETag", "Last-Modified", "Cache-Control", "Accept-Ranges"}) {
      assertEquals(header(get, name), header(head, name), name);
    }
    HttpResponse<byte[]> headRange = origin.send("HEAD", segmentPath, "Range", "bytes=10-19");
    assertEquals(206, headRange.statusCode());
    assertEquals("10", header(headRange, "Content-Length"));
    assertEquals("bytes 10-19/" + segment.length, header(headRange, "Content-Range"));
    assertEquals(0, headRange.body().length);
  }

  @Test
  void aRewrittenFileGetsANewEtagWithinTheLookupValidity() throws Exception {
    Path file = Files.writeString(origin.mediaRoot.resolve("changing.m3u8"), "#EXTM3U\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    HttpResponse<byte[]> before = origin.send("GET", "/vod/changing.m3u8");
    String oldTag = header(before, "ETag");
    Files.writeString(file, "#EXTM3U\n#EXT-X-VERSION:7\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:01Z")));
    AtomicReference<HttpResponse<byte[]>> after = new AtomicReference<>();
    await().atMost(VodHandler.LOOKUP_VALIDITY.multipliedBy(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      HttpResponse<byte[]> response = origin.send("GET", "/vod/changing.m3u8", "If-None-Match", oldTag);
      // Until the old lookup expires the old version still matches; never a mix of the two.
      assertTrue(response.statusCode() == 304 || response.statusCode() == 200, "status " + response.statusCode());
      after.set(response);
      return response.statusCode() == 200;
    });
    assertNotEquals(oldTag, header(after.get(), "ETag"));
    assertEquals("#EXTM3U\n#EXT-X-VERSION:7\n", new String(after.get().body(), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/vod/clip/missing.m4s", "/vod/nothing/index.m3u8", "/vod/clip", "/vod/clip/",
      "/vod/", "/vod", "/elsewhere"})
  void unknownPathsAndFoldersAreNotFound(String path) throws Exception {
    HttpResponse<byte[]> response = origin.send("GET", path);
    assertEquals(404, response.statusCode());
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
  }

  @Test
  void integrityManifestOfAMediaPlaylistGoesThroughTheResponder() throws Exception {
    HttpResponse<byte[]> manifest = origin.send("GET", "/vod/clip/index.integrity.json");
    assertEquals(200, manifest.statusCode(), () -> new String(manifest.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", header(manifest, "Content-Type"));
    String body = new String(manifest.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("/vod/clip/index.m3u8"), body);
    assertTrue(body.contains(origin.clip.segments().get(0).getFileName().toString()), body);
    String etag = header(manifest, "ETag");
    assertEquals(304, origin.send("GET", "/vod/clip/index.integrity.json", "If-None-Match", etag).statusCode());
    assertEquals(206, origin.send("GET", "/vod/clip/index.integrity.json", "Range", "bytes=0-0").statusCode());
  }

  @Test
  void manifestsOfMissingOrMasterPlaylistsAreNotFound() throws Exception {
    Files.writeString(origin.mediaRoot.resolve("master.m3u8"),
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\nclip/index.m3u8\n");
    assertEquals(404, origin.send("GET", "/vod/clip/missing.integrity.json").statusCode());
    assertEquals(404, origin.send("GET", "/vod/master.integrity.json").statusCode());
    assertEquals(400, origin.rawGet("/vod/%252e%252e/x.integrity.json").status());
  }
}
