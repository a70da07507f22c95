package dev.swarmcdn.launcher;

import dev.swarmcdn.peer.simulate.SimulateCommand;
import dev.swarmcdn.peer.watch.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cdn peer}: the Java peer, as a viewer's desktop peer ({@code watch}) or many virtual viewers ({@code simulate}). */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {
        "The Java peer engine, the browser's twin on WebRTC data channels:",
        "  watch URL      the desktop peer: serves the stream to any local player",
        "                 (ffplay, mpv, VLC) on http://127.0.0.1:8765/, P2P underneath",
        "  simulate URL   virtual viewers in one JVM, at real time without decoding:",
        "                 P2P share, stalls and stalled time"},
    subcommands = {WatchCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
