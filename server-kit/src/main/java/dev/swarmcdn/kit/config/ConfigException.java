package dev.swarmcdn.kit.config;

import picocli.CommandLine;

/**
 * A setting the operator gave that cannot be used, told in one line that names where it came from
 * (the flag, the environment variable, or the config file and its line). The launcher prints the
 * message alone and exits 2, as for a bad flag.
 */
public final class ConfigException extends CommandLine.InitializationException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
