package dev.swarmcdn.origin.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attempts to read outside the media root, sent as raw bytes over a socket so that no client
 * normalises them first. Next to the media root lies a secret file; no answer may contain it, be a
 * 200, or carry a stack trace.
 */
class VodTraversalTest {

  private static final String SECRET = "the secret next to the media root";

  @TempDir
  static Path tempDir;

  private static RunningOrigin origin;

  @BeforeAll
  static void start() throws Exception {
    origin = RunningOrigin.start(tempDir);
    Path outside = Files.createDirectories(tempDir.resolve("outside"));
    Files.writeString(tempDir.resolve("secret.txt"), SECRET);
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.createSymbolicLink(origin.mediaRoot.resolve("escape.m3u8"), tempDir.resolve("secret.txt"));
    Files.createSymbolicLink(origin.mediaRoot.resolve("outlink"), outside);
    Files.createSymbolicLink(origin.mediaRoot.resolve("inside.m3u8"), origin.clip.playlist());
  }

  @AfterAll
  static void stop() throws Exception {
    origin.close();
  }

  /**
   * Statuses are what the router and MediaPath give: Vert.x normalises dot-segments (also encoded
   * ones, since %2e is an unreserved character) before routing, so those requests no longer even
   * start with /vod/ and end as 404; what survives into the handler and is refused there is 400.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/vod/../secret.txt,                          404",
      "/vod/../../etc/passwd,                       404",
      "/vod/../../../../../../../../etc/passwd,     404",
      "/vod/%2e%2e/%2e%2e/etc/passwd,               404",
      "/vod/%2E%2E/secret.txt,                      404",
      "/vod/clip/../../secret.txt,                  404",
      "/vod/.%2e/secret.txt,                        404",
      "/vod/%252e%252e/%252e%252e/etc/passwd,       400",
      "/vod/%252e%252e/secret.txt,                  400",
      "/vod/..%2fsecret.txt,                        400",
      "/vod/clip/..%2f..%2fsecret.txt,              400",
      "/vod/%2e%2e%2fsecret.txt,                    400",
      "/vod/..%5csecret.txt,                        400",
      "/vod/..\\secret.txt,                         400",
      "/vod/%2fetc%2fpasswd,                        400",
      "/vod/clip/index.m3u8%00.txt,                 400",
      "/vod/%zz,                                    400",
      "/vod/escape.m3u8,                            404",
      "/vod/outlink/secret.txt,                     404",
  })
  void cannotLeaveTheMediaRoot(String path, int status) throws Exception {
    RunningOrigin.RawResponse response = origin.rawGet(path);
    assertEquals(status, response.status(), () -> path + " gave\n" + response.head());
    assertFalse(response.body().contains(SECRET), path);
    assertFalse(response.body().contains("root:"), path);
    assertFalse(response.body().contains("Exception"), path);
    assertFalse(response.body().contains("\tat "), path);
  }

  @Test
  void absoluteFormRequestTargetCannotEscapeEither() throws Exception {
    RunningOrigin.RawResponse response = origin.raw("GET http://127.0.0.1/vod/%2e%2e/secret.txt HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertTrue(response.status() == 400 || response.status() == 404, response.head());
    assertFalse(response.body().contains(SECRET));
  }

  @Test
  void aLinkThatStaysInsideTheRootIsServed() throws Exception {
    RunningOrigin.RawResponse response = origin.rawGet("/vod/inside.m3u8");
    assertEquals(200, response.status());
    assertEquals(Files.readString(origin.clip.playlist()), response.body());
  }
}
