package dev.swarmcdn.launcher;

import dev.swarmcdn.peer.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cdn peer}: the Java peer outside a browser. ({@code watch}, the desktop peer, is referenced
 * by the commit that added this class but its package is not committed yet: it joins here when it is.)
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {
        "The Java peer engine (WebRTC data channels, the browser player's twin) outside a browser.",
        "  simulate URL  virtual viewers of a stream in this JVM, then their figures"},
    subcommands = {SimulateCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
