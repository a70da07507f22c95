package dev.swarmcdn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CdnTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cdn = Cdn.commandLine(args);
    cdn.setOut(new PrintWriter(out));
    cdn.setErr(new PrintWriter(err));
    int exit = cdn.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : new String[] {"demo", "origin", "edge", "tracker", "peer"}) {
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
}
