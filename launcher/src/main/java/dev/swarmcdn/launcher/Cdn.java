package dev.swarmcdn.launcher;

import dev.swarmcdn.edge.EdgeCommand;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.origin.OriginCommand;
import dev.swarmcdn.tracker.TrackerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./cdn}: one command, a subcommand per part of the system. */
@Command(name = "cdn", mixinStandardHelpOptions = true, version = "swarmcdn 0.1.0",
    description = "P2P-assisted CDN and media streaming edge.",
    subcommands = {DemoCommand.class, OriginCommand.class, EdgeCommand.class, TrackerCommand.class, PeerCommand.class,
        CommandLine.HelpCommand.class})
public final class Cdn implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  static CommandLine commandLine(String[] args) {
    LayeredDefaults defaults = LayeredDefaults.load(LayeredDefaults.configFileFrom(args, System.getenv()));
    return new CommandLine(new Cdn())
        .setDefaultValueProvider(defaults)
        .setExecutionExceptionHandler(Cdn::reportFailure);
  }

  /**
   * A server that cannot start (bad setting, port taken, ffmpeg missing) says why in one line and
   * exits 1; the stack trace is for {@code CDN_DEBUG=1}.
   */
  private static int reportFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.ExecutionException
        || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    command.getErr().println("cdn " + command.getCommandName() + ": " + cause.getMessage());
    if (System.getenv("CDN_DEBUG") != null) {
      cause.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return 1;
  }
}
