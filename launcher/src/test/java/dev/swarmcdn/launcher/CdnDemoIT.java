package dev.swarmcdn.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a new user runs it, after the build: the real {@code ./cdn demo}
 * script in its own process prints the URLs to open, they answer, and Ctrl-C (SIGINT) stops
 * everything, ffmpeg included, and frees the ports. Runs in Maven's integration-test phase, once
 * the jars {@code ./cdn} starts exist.
 */
class CdnDemoIT {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process demo;

  @AfterEach
  void stop() {
    if (demo != null && demo.isAlive()) {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  @Test
  void theDemoPrintsWorkingUrlsAndCtrlCStopsItAll() throws Exception {
    int port = freeBasePort();
    Path script = Path.of(System.getProperty("user.dir")).resolveSibling("cdn");
    assertTrue(Files.isExecutable(script), "the launcher script " + script);
    // A --media-root given must exist (a missing one is refused at start): an empty one serves no VOD.
    Files.createDirectories(dir.resolve("media"));
    demo = new ProcessBuilder(script.toString(), "demo", "--port", Integer.toString(port),
        "--data-dir", dir.resolve("data").toString(), "--media-root", dir.resolve("media").toString())
        .directory(dir.toFile()).redirectErrorStream(true).start();
    Map<String, String> printed = new ConcurrentHashMap<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> readLines(printed, output), "demo-output");
    reader.setDaemon(true);
    reader.start();

    await().atMost(Duration.ofSeconds(90)).until(() -> printed.containsKey("operations") || !demo.isAlive());
    assertTrue(demo.isAlive(), "the demo stopped by itself:\n" + output);
    String player = printed.get("player");
    String master = printed.get("master playlist").split("\\s+")[0];
    assertNotNull(player, output.toString());
    assertEquals(200, get(player).statusCode(), player);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> get(master).statusCode() == 200);
    assertTrue(get(master).body().startsWith("#EXTM3U"), master);

    List<ProcessHandle> packagers = demo.descendants()
        .filter(p -> p.info().command().orElse("").endsWith("ffmpeg")).toList();
    assertFalse(packagers.isEmpty(), "the live stream is packaged by ffmpeg");

    new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor(5, TimeUnit.SECONDS);
    assertTrue(demo.waitFor(40, TimeUnit.SECONDS), "Ctrl-C stops the demo:\n" + output);
    for (ProcessHandle packager : packagers) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !packager.isAlive());
    }
    for (int taken : new int[] {port, port + 1, port + 2, port + 10}) {
      assertFalse(accepts(taken), "port " + taken + " is free again");
    }
  }

  /** The "  name:   URL ..." lines the demo prints. */
  private void readLines(Map<String, String> printed, StringBuilder output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.append(line).append('\n');
        }
        int colon = line.indexOf(':');
        if (line.startsWith("  ") && colon > 0) {
          printed.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A base port whose four demo ports (base, +1, +2, +10) are free now. */
  private static int freeBasePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      }
      if (base + 10 < 65535 && !accepts(base) && !accepts(base + 1) && !accepts(base + 2) && !accepts(base + 10)) {
        return base;
      }
    }
    throw new IOException("no free ports for the demo");
  }
}
