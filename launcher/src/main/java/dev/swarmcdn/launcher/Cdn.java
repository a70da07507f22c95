package dev.swarmcdn.launcher;

import dev.swarmcdn.edge.EdgeCommand;
import dev.swarmcdn.kit.config.ConfigException;
import dev.swarmcdn.kit.config.ConfigFile;
import dev.swarmcdn.kit.config.LayeredDefaults;
import dev.swarmcdn.kit.config.UnknownSettings;
import dev.swarmcdn.origin.OriginCommand;
import dev.swarmcdn.origin.packaging.PackageCommand;
import dev.swarmcdn.tracker.TrackerCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code ./cdn}: one command, a subcommand per part of the system. */
@Command(name = "cdn", mixinStandardHelpOptions = true, version = "swarmcdn 0.1.0",
    description = "P2P-assisted CDN and media streaming edge.",
    subcommands = {DemoCommand.class, OriginCommand.class, EdgeCommand.class, TrackerCommand.class, PeerCommand.class,
        PackageCommand.class,
        CommandLine.HelpCommand.class})
public final class Cdn implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** No command given: the usage, on the error stream, and the exit status of a usage error. */
  @Override
  public Integer call() {
    return usageError(spec);
  }

  /** For a command that only groups others: its usage on the error stream, exit 2. */
  static int usageError(CommandSpec spec) {
    spec.commandLine().getErr().println("cdn: a command is needed");
    spec.commandLine().usage(spec.commandLine().getErr());
    return spec.exitCodeOnInvalidInput();
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), out, err));
  }

  /**
   * Runs {@code cdn ARGS} with settings from {@code environment} and the config file: a setting no
   * option has, a config file missing or malformed, is refused before anything starts (exit 2).
   */
  static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    try {
      Path configFile = LayeredDefaults.configFileFrom(args, environment);
      LayeredDefaults defaults = new LayeredDefaults(environment, configFile == null ? null : ConfigFile.read(configFile));
      CommandLine cdn = new CommandLine(new Cdn()).setDefaultValueProvider(defaults).setOut(out).setErr(err);
      UnknownSettings.refuse(cdn, environment, defaults.file());
      cdn.setParameterExceptionHandler((bad, ignored) -> reportBadValue(bad, args, defaults))
          .setExecutionExceptionHandler((failure, command, parsed) -> reportFailure(failure, command, args, defaults));
      return cdn.execute(args);
    } catch (ConfigException e) {
      e.getMessage().lines().forEach(line -> err.println("cdn: " + line));
      err.flush();
      return 2;
    }
  }

  /** A value an option cannot take: one line, naming the variable or file line it came from. */
  private static int reportBadValue(CommandLine.ParameterException bad, String[] args, LayeredDefaults defaults) {
    CommandLine command = bad.getCommandLine();
    PrintWriter err = command.getErr();
    String source = bad.getArgSpec() instanceof OptionSpec option ? sourceOf(option, args, defaults) : null;
    err.println("cdn " + command.getCommandName() + ": " + bad.getMessage() + (source == null ? "" : " (from " + source + ")"));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(bad, err)) {
      err.println("Try 'cdn " + qualifiedName(command) + " --help' for the options.");
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * A server that cannot start (bad setting, port taken, ffmpeg missing) says why in one line and
   * exits 1; a message about an option set by a variable or the file names that source. The stack
   * trace is for {@code CDN_DEBUG=1}.
   */
  private static int reportFailure(Exception failure, CommandLine command, String[] args, LayeredDefaults defaults) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.ExecutionException
        || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    OptionSpec named = message.startsWith("--") ? command.getCommandSpec().findOption(message.split("[ =:,]", 2)[0]) : null;
    String source = named == null ? null : sourceOf(named, args, defaults);
    command.getErr().println("cdn " + command.getCommandName() + ": " + message + (source == null ? "" : " (from " + source + ")"));
    if (defaults.environment().get("CDN_DEBUG") != null) {
      cause.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return cause instanceof ConfigException ? 2 : 1;
  }

  /** Where the option's value came from, when not from the command line; null for a flag or the built-in default. */
  private static String sourceOf(OptionSpec option, String[] args, LayeredDefaults defaults) {
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return null;
        }
      }
    }
    return defaults.sourceOf(option);
  }

  private static String qualifiedName(CommandLine command) {
    String name = command.getCommandSpec().qualifiedName(" ");
    return name.startsWith("cdn ") ? name.substring(4) : name;
  }
}
