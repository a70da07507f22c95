package dev.swarmcdn.chaos;

import dev.swarmcdn.kit.testing.ListeningLine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One part of the CDN ({@code cdn origin}, {@code cdn edge}, {@code cdn tracker}) in a JVM of its
 * own, so that a fault can be a real {@code kill -9}: no shutdown hook, no deregistration, sockets
 * cut by the kernel. It runs the launcher's main class on this JVM's class path (what {@code ./cdn}
 * runs); its output goes to a file, from which the URL it listens on is read. Public for the deploy
 * test, which runs the compose file's servers this way.
 */
public final class PartProcess implements AutoCloseable {

  /** JVM start, Hazelcast's join or ffmpeg's first segment on a busy 2-core machine. */
  static final Duration START_BOUND = Duration.ofSeconds(90);
  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

  private final String name;
  private final Process jvm;
  private final Path output;
  private final String url;

  private PartProcess(String name, Process jvm, Path output, String url) {
    this.name = name;
    this.jvm = jvm;
    this.output = output;
    this.url = url;
  }

  /**
   * Starts {@code cdn ARGS}, preceded by {@code wrapper} (e.g. {@code unshare -m ...}, empty for
   * none), and waits for its "listening on" line.
   *
   * @param output a file of this part alone; a restarted part appends to it
   */
  static PartProcess start(String name, List<String> wrapper, List<String> cdnArgs, Path output) throws IOException {
    return start(name, wrapper, cdnArgs, Map.of(), output);
  }

  /** As {@link #start(String, List, List, Path)}, with {@code environment} added to this JVM's. */
  public static PartProcess start(String name, List<String> wrapper, List<String> cdnArgs,
      Map<String, String> environment, Path output) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(cdnCommand(cdnArgs));
    long startedAt = Files.exists(output) ? Files.size(output) : 0;
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process jvm = builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    String url = ListeningLine.await(name, jvm, output, startedAt, LISTENING, START_BOUND);
    return new PartProcess(name, jvm, output, url);
  }

  /** {@code cdn ARGS} as a command line: the launcher's main class in a small JVM on this JVM's class path. */
  public static List<String> cdnCommand(List<String> cdnArgs) {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small and quick to start: four or five of these share two cores with the viewers.
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-cp", classPath, "dev.swarmcdn.launcher.Cdn"));
    command.addAll(cdnArgs);
    return command;
  }

  String name() {
    return name;
  }

  /** The URL of its "listening on" line (the tracker's is its WebSocket URL). */
  public String url() {
    return url;
  }

  boolean alive() {
    return jvm.isAlive();
  }

  /** SIGKILL: nothing of the part runs any more, nobody is told. */
  void kill9() throws InterruptedException {
    jvm.destroyForcibly();
    if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " still runs after SIGKILL");
    }
  }

  /** SIGTERM: the part stops itself (an edge deregisters first). */
  void stop() throws InterruptedException {
    jvm.destroy();
    if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  public String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (jvm.isAlive()) {
      stop();
    }
  }
}
