package dev.swarmcdn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import java.util.Map;

class CdnTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    return run(Map.of(), args);
  }

  private static Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cdn.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : new String[] {"demo", "origin", "edge", "tracker", "peer", "package"}) {
      Run help = run(sub, "--help");
      assertEquals(0, help.exit(), sub);
      assertTrue(help.out().contains("Usage: cdn " + sub), help.out());
    }
  }

  @Test
  void topLevelHelpListsSubcommands() {
    Run help = run("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("demo") && help.out().contains("origin") && help.out().contains("tracker"),
        help.out());
  }

  @Test
  void peerWatchHasHelpWithItsOptions() {
    Run help = run("peer", "watch", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("Usage: cdn peer watch"), help.out());
    for (String option : new String[] {"--route", "--tracker", "--listen", "--rendition", "--p2p", "--upload",
        "--max-upload-rate", "--max-peers", "--cache-mb"}) {
      assertTrue(help.out().contains(option), option + " in " + help.out());
    }
  }

  @Test
  void peerWatchRefusesBadValuesByName() {
    Run onOff = run("peer", "watch", "--upload", "maybe", "http://127.0.0.1:1/live/demo/master.m3u8");
    assertEquals(2, onOff.exit());
    assertTrue(onOff.err().contains("'maybe' is neither on nor off"), onOff.err());
    Run listen = run("peer", "watch", "--listen", "localhost:http", "http://127.0.0.1:1/live/demo/master.m3u8");
    assertEquals(1, listen.exit());
    assertTrue(listen.err().contains("--listen takes HOST:PORT"), listen.err());
    Run path = run("peer", "watch", "/live/demo/master.m3u8");
    assertEquals(1, path.exit());
    assertTrue(path.err().contains("give a URL, or a path with --route"), path.err());
    Run peers = run("peer", "watch", "--max-peers", "0", "http://127.0.0.1:1/live/demo/master.m3u8");
    assertEquals(1, peers.exit());
    assertTrue(peers.err().contains("maxPeers"), peers.err());
  }

  @Test
  void peerSimulateHasHelpAndNeedsATrackerOrARoute() {
    Run help = run("peer", "simulate", "--help");
    assertEquals(0, help.exit(), help.err());
    for (String option : new String[] {"--viewers", "--ramp-s", "--duration-s", "--tracker", "--route", "--p2p"}) {
      assertTrue(help.out().contains(option), option + " in " + help.out());
    }
    Run alone = run("peer", "simulate", "http://127.0.0.1:1/live/demo/master.m3u8");
    assertEquals(2, alone.exit());
    assertTrue(alone.err().contains("give exactly one of --tracker and --route"), alone.err());
    Run onOff = run("peer", "simulate", "--p2p", "maybe", "http://127.0.0.1:1/live/demo/master.m3u8");
    assertEquals(2, onOff.exit());
    assertTrue(onOff.err().contains("'maybe' is neither on nor off"), onOff.err());
  }

  @Test
  void unknownOptionIsAUsageErrorNotAStackTrace() {
    Run bad = run("origin", "--no-such-option");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("Unknown option: '--no-such-option'"), bad.err());
    assertTrue(!bad.err().contains("Exception"), bad.err());
  }

  @Test
  void badLadderIsRefusedWithItsReason() {
    Run bad = run("origin", "--ladder", "360p:640x360", "--port", "0");
    assertTrue(bad.exit() != 0);
    assertTrue(bad.err().contains("NAME:WIDTHxHEIGHT:KBPS"), bad.err());
  }

  @Test
  void noCommandIsAUsageError() {
    for (String[] args : new String[][] {{}, {"peer"}}) {
      Run none = run(args);
      assertEquals(2, none.exit(), String.join(" ", args));
      assertTrue(none.err().contains("cdn: a command is needed") && none.err().contains("Usage: cdn"), none.err());
    }
  }

  @Test
  void aBadValueFromTheEnvironmentOrTheFileNamesItsSource() throws Exception {
    Run fromEnvironment = run(Map.of("CDN_ORIGIN_PORT", "eighty"), "origin");
    assertEquals(2, fromEnvironment.exit());
    assertTrue(fromEnvironment.err().startsWith("cdn origin: Invalid value for option '--port': 'eighty' is not an int"
        + " (from environment variable CDN_ORIGIN_PORT)"), fromEnvironment.err());
    assertEquals(2, fromEnvironment.err().lines().count(), "the error and where to look: " + fromEnvironment.err());

    java.nio.file.Path file = java.nio.file.Files.createTempFile("cdn", ".yaml");
    java.nio.file.Files.writeString(file, "tracker:\n  steer-fetchers: -1\n");
    Run fromFile = run("tracker", "--config", file.toString(), "--port", "0", "--open-registry");
    assertEquals(1, fromFile.exit(), fromFile.err());
    assertTrue(fromFile.err().contains("--steer-fetchers must be") && fromFile.err().contains("(from config file " + file
        + " line 2 (tracker.steer-fetchers))"), fromFile.err());
    Run fromFlag = run("tracker", "--config", file.toString(), "--port", "0", "--open-registry", "--steer-fetchers", "-2");
    assertTrue(fromFlag.err().contains("--steer-fetchers must be") && !fromFlag.err().contains("(from"), fromFlag.err());
    java.nio.file.Files.delete(file);
  }

  @Test
  void unknownSettingsAndABrokenConfigFileStopTheStartInOneLineEach() throws Exception {
    Run variable = run(Map.of("CDN_EDGE_ORIGNI", "http://x"), "edge", "--help");
    assertEquals(2, variable.exit());
    assertEquals("cdn: unknown environment variable CDN_EDGE_ORIGNI (did you mean CDN_EDGE_ORIGIN?)", variable.err().strip());

    Run missing = run("origin", "--config", "/no/such/cdn.yaml");
    assertEquals(2, missing.exit());
    assertEquals("cdn: --config /no/such/cdn.yaml: no such file", missing.err().strip());

    java.nio.file.Path file = java.nio.file.Files.createTempFile("cdn", ".yaml");
    java.nio.file.Files.writeString(file, "origin:\n  port: 8080\n  media-rot: /srv\n");
    Run key = run("origin", "--config", file.toString());
    assertEquals(2, key.exit());
    assertEquals("cdn: config file " + file + " line 3: unknown key origin.media-rot (no --media-rot in cdn origin)"
        + " (did you mean media-root?)", key.err().strip());
    java.nio.file.Files.delete(file);
  }

  @Test
  void missingInputsAreRefusedByTheirFlagBeforeAnythingStarts() {
    Run root = run(Map.of("CDN_ORIGIN_MEDIA_ROOT", "/no/such/media"), "origin", "--port", "0");
    assertEquals(1, root.exit());
    assertEquals("cdn origin: --media-root /no/such/media: no such folder (from environment variable CDN_ORIGIN_MEDIA_ROOT)",
        root.err().strip());
    Run source = run("origin", "--port", "0", "--live", "news", "--live-source", "/no/such/film.mp4");
    assertEquals(1, source.exit());
    assertTrue(source.err().startsWith("cdn origin: --live-source /no/such/film.mp4: no such file"), source.err());
    Run demo = run("demo", "--media-root", "/no/such/media");
    assertEquals(1, demo.exit());
    assertEquals("cdn demo: --media-root /no/such/media: no such folder", demo.err().strip());
  }

  @Test
  void aPortInUseIsNamedWithItsFlag() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run tracker = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
          () -> run("tracker", "--port", String.valueOf(port), "--open-registry"));
      assertEquals(1, tracker.exit());
      assertEquals("cdn tracker: --port " + port + ": cannot listen on 127.0.0.1:" + port + ": the port is already in use",
          tracker.err().strip());
    }
  }

  @Test
  void packageRefusesWhatItCannotPackageByName() throws Exception {
    Run missing = run("package", "/no/such/film.mp4", "--name", "film");
    assertEquals(1, missing.exit());
    assertEquals("cdn package: /no/such/film.mp4: no such file", missing.err().strip());
    java.nio.file.Path root = java.nio.file.Files.createTempDirectory("media");
    java.nio.file.Path input = java.nio.file.Files.writeString(root.resolve("film.mp4"), "x");
    java.nio.file.Files.createDirectory(root.resolve("film"));
    Run exists = run("package", input.toString(), "--name", "film", "--media-root", root.toString());
    assertEquals(1, exists.exit());
    assertTrue(exists.err().contains("--name film: " + root.resolve("film") + " exists"), exists.err());
    Run badName = run("package", input.toString(), "--name", "../up", "--media-root", root.toString());
    assertTrue(badName.err().contains("--name ../up: letters, digits"), badName.err());
  }
}
