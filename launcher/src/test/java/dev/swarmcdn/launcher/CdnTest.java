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
    for (String sub : new String[] {"demo", "origin", "edge", "tracker"}) {
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
