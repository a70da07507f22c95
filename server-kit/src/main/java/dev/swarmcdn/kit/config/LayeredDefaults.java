package dev.swarmcdn.kit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from the environment, then from a YAML file, so that every server takes its
 * settings in the same order of precedence: command-line flag, environment variable, config file,
 * built-in default.
 *
 * <p>An option {@code --media-root} of the command {@code origin} is looked up as the environment
 * variable {@code CDN_ORIGIN_MEDIA_ROOT}, then as the key {@code origin.media-root} of the file (or
 * {@code origin: {media-root: ...}}). Lists in YAML become comma-separated values.
 */
public final class LayeredDefaults implements CommandLine.IDefaultValueProvider {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, String> environment;
  private final ConfigFile file;

  public LayeredDefaults(Map<String, String> environment, ConfigFile file) {
    this.environment = Objects.requireNonNull(environment);
    this.file = file == null ? ConfigFile.none() : file;
  }

  /** For tests: the file as a tree already read. */
  public LayeredDefaults(Map<String, String> environment, JsonNode file) {
    this(environment, file == null ? null : asFile(file));
  }

  private static ConfigFile asFile(JsonNode tree) {
    try {
      return ConfigFile.parse(YAML.writeValueAsBytes(tree), "(given)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code configFile} (may be null: no file) and the process environment. */
  public static LayeredDefaults load(Path configFile) {
    return new LayeredDefaults(System.getenv(), configFile == null ? null : ConfigFile.read(configFile));
  }

  /** The environment these defaults read. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The config file these defaults read ({@link ConfigFile#none()} without one). */
  public ConfigFile file() {
    return file;
  }

  /**
   * Finds {@code --config FILE} (or {@code --config=FILE}) among raw arguments, or the environment
   * variable {@code CDN_<COMMAND>_CONFIG}, or {@code CDN_CONFIG}: the file must be known before
   * picocli parses, because defaults are resolved first.
   */
  public static Path configFileFrom(String[] args, Map<String, String> environment) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    // Like every option, --config has its CDN_<COMMAND>_CONFIG variable; CDN_CONFIG serves them all.
    String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : null;
    String fromEnv = command == null ? null : environment.get(environmentName(command, "config"));
    if (fromEnv == null || fromEnv.isBlank()) {
      fromEnv = environment.get("CDN_CONFIG");
    }
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String section = option.command().name();
    String key = optionKey(option);
    String fromEnv = environment.get(environmentName(section, key));
    if (fromEnv != null) {
      return fromEnv;
    }
    return fromFile(section, key);
  }

  /**
   * Where the value of {@code option} comes from when the command line does not give it: the
   * environment variable or the config file and line that set it, or null for the built-in default.
   */
  public String sourceOf(OptionSpec option) {
    String section = option.command().name();
    String key = optionKey(option);
    String variable = environmentName(section, key);
    if (environment.containsKey(variable)) {
      return "environment variable " + variable;
    }
    ConfigFile.Setting setting = file.setting(section, key);
    return setting == null ? null : file.where(setting) + " (" + setting.name() + ")";
  }

  /** The option's name in the file and in its variable: its longest name without the dashes. */
  static String optionKey(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  static String environmentName(String section, String key) {
    return ("CDN_" + section + "_" + key).replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private String fromFile(String section, String key) {
    ConfigFile.Setting setting = file.setting(section, key);
    if (setting == null || setting.value().isNull()) {
      return null;
    }
    JsonNode node = setting.value();
    if (node.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        joined.append(it.next().asText());
        if (it.hasNext()) {
          joined.append(',');
        }
      }
      return joined.toString();
    }
    if (node.isContainerNode()) {
      throw new ConfigException(file.where(setting) + ": " + setting.name() + " must be a value or a list, not a mapping");
    }
    return node.asText();
  }
}
