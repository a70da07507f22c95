package dev.swarmcdn.launcher;

import dev.swarmcdn.peer.simulate.SimulateCommand;
import dev.swarmcdn.peer.watch.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cdn peer}: the Java peer, as a viewer's desktop peer ({@code watch}) or many virtual viewers ({@code simulate}). */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {
        "The Java peer engine (WebRTC data channels, the browser player's twin) outside a browser.",
        "  watch URL   the desktop peer: joins the stream's swarm and serves the stream to any local",
        "              player (ffplay, mpv, VLC) on http://127.0.0.1:8765/, with P2P underneath",
        "  simulate URL --viewers N   virtual viewers in this JVM, at real time without decoding:",
        "              P2P share, stalls and stalled time"},
    subcommands = {WatchCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
