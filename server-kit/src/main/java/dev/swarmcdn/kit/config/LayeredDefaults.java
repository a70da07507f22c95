package dev.swarmcdn.kit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
  private final JsonNode file;

  public LayeredDefaults(Map<String, String> environment, JsonNode file) {
    this.environment = Objects.requireNonNull(environment);
    this.file = file == null ? YAML.createObjectNode() : file;
  }

  /** Reads {@code configFile} (may be null: no file) and the process environment. */
  public static LayeredDefaults load(Path configFile) {
    return new LayeredDefaults(System.getenv(), configFile == null ? null : readYaml(configFile));
  }

  static JsonNode readYaml(Path configFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(configFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + configFile, e);
    }
    return parseYaml(bytes, configFile.toString());
  }

  /**
   * The config file's bytes as a tree: a mapping, or null or a missing node when the file holds no
   * document.
   *
   * @param source names the file in messages
   * @throws UncheckedIOException when the bytes are not YAML
   * @throws CommandLine.InitializationException when they are YAML but not a mapping
   */
  static JsonNode parseYaml(byte[] bytes, String source) {
    JsonNode node;
    try {
      node = YAML.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + source, e);
    }
    if (node != null && !node.isMissingNode() && !node.isObject()) {
      throw new CommandLine.InitializationException(
          "config file " + source + " must hold a YAML mapping at its top level");
    }
    return node;
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
    String key = option.longestName().replaceFirst("^-+", "");
    String fromEnv = environment.get(environmentName(section, key));
    if (fromEnv != null) {
      return fromEnv;
    }
    return fromFile(section, key);
  }

  static String environmentName(String section, String key) {
    return ("CDN_" + section + "_" + key).replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private String fromFile(String section, String key) {
    JsonNode node = file.path(section).path(key);
    if (node.isMissingNode()) {
      node = file.path(section + "." + key);
    }
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
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
      throw new CommandLine.InitializationException(
          "config key " + section + "." + key + " must be a value or a list, not a mapping");
    }
    return node.asText();
  }
}
