package dev.swarmcdn.launcher;

import dev.swarmcdn.peer.simulate.SimulateCommand;
import dev.swarmcdn.peer.watch.WatchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cdn peer}: the Java peer, as a viewer's desktop peer ({@code watch}) or many virtual viewers ({@code simulate}). */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {
        "The Java peer engine, the browser's twin on WebRTC data channels:",
        "  watch URL      the desktop peer: serves the stream to any local player",
        "                 (ffplay, mpv, VLC) on http://127.0.0.1:8765/, P2P underneath",
        "  simulate URL   virtual viewers in one JVM, at real time without decoding:",
        "                 P2P share, stalls and stalled time"},
    subcommands = {WatchCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Cdn.usageError(spec);
  }
}
