package dev.swarmcdn.origin.live;

import static org.awaitility.Awaitility.await;

import dev.swarmcdn.kit.testing.ListeningLine;
import dev.swarmcdn.origin.OriginCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A real origin in a JVM of its own, for the faults that are about processes: {@code kill -9} and
 * SIGTERM of the origin, and what becomes of its ffmpeg. Its output goes to a file (nobody has to
 * drain a pipe); the port is read from its "origin listening on" line.
 */
final class OriginProcess implements AutoCloseable {

  /** The child JVM's entry point: {@code cdn origin} without the launcher's other commands. */
  public static final class Main {
    public static void main(String[] args) {
      System.exit(new CommandLine(new OriginCommand()).execute(args));
    }
  }

  /** JVM start, key creation and ffmpeg's first segment on a busy 2-core machine. */
  static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("origin listening on (http://\\S+)");

  private final Process jvm;
  private final Path output;
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OriginProcess(Process jvm, Path output, String baseUrl) {
    this.jvm = jvm;
    this.output = output;
    this.baseUrl = baseUrl;
  }

  /**
   * @param output a file of this run alone: the port is read from it
   * Starts {@code cdn origin --live t} on a free port of 127.0.0.1 with the given data folder and a
   * cheap one-rendition ladder (90p, 15 fps, 1-second segments).
   */
  static OriginProcess start(Path dataDir, Path output, int window) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-cp", classPath, Main.class.getName(),
        "--host", "127.0.0.1", "--port", "0",
        "--media-root", dataDir.resolveSibling("media").toString(),
        "--data-dir", dataDir.toString(),
        "--live", "t", "--ladder", "90p:160x90:100",
        "--segment-seconds", "1", "--window", Integer.toString(window), "--grace-seconds", "2",
        "--frame-rate", "15"));
    Files.createDirectories(dataDir.resolveSibling("media"));
    Process jvm = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    String url = ListeningLine.await("the origin", jvm, output, 0, LISTENING, START_BOUND);
    return new OriginProcess(jvm, output, url);
  }

  String baseUrl() {
    return baseUrl;
  }

  ProcessHandle handle() {
    return jvm.toHandle();
  }

  HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  String text(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = get(path);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + response.statusCode());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** The running ffmpeg child of this origin, once there is one. */
  long awaitFfmpegPid() {
    AtomicReference<Long> pid = new AtomicReference<>();
    await().atMost(START_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
      jvm.toHandle().children()
          .filter(child -> child.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false))
          .findFirst()
          .ifPresent(child -> pid.set(child.pid()));
      return pid.get() != null;
    });
    return pid.get();
  }

  /** SIGKILL: no shutdown hook, no stop(), nothing of the origin runs any more. */
  void kill9() throws InterruptedException {
    jvm.destroyForcibly();
    if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a SIGKILLed JVM still runs");
    }
  }

  /** SIGTERM, as an operator's kill or a service manager sends: the origin stops itself. */
  int terminate() throws InterruptedException {
    jvm.destroy();
    if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
      jvm.destroyForcibly();
      throw new IllegalStateException("the origin did not stop within 60 s of SIGTERM");
    }
    return jvm.exitValue();
  }

  /**
   * Whether a process runs under this pid: it has a /proc entry that is not a zombie. (An orphan that
   * died is a zombie until whatever adopted it reaps it; that is gone for our purpose.)
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // pid (comm) STATE ...: comm may hold spaces and parentheses, so look after the last ')'.
      String afterComm = stat.substring(stat.lastIndexOf(')') + 1).strip();
      char state = afterComm.charAt(0);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (jvm.isAlive()) {
      jvm.destroyForcibly();
      jvm.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
