package dev.swarmcdn.kit.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML config file as read at start: its settings, each with the line it is on, so that a
 * message about one can point at it. Settings are {@code section: {key: value}} or
 * {@code section.key: value}, the section being a command's name ({@code origin}, {@code edge}).
 */
public final class ConfigFile {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One setting of the file: where it is, and its value (a scalar or a list). */
  public record Setting(String section, String key, int line, JsonNode value) {
    public String name() {
      return section + "." + key;
    }
  }

  private final String source;
  private final Map<String, Setting> settings;
  /** Top-level keys that are neither a section nor {@code section.key}. */
  private final List<Setting> strays;

  private ConfigFile(String source, Map<String, Setting> settings, List<Setting> strays) {
    this.source = source;
    this.settings = settings;
    this.strays = strays;
  }

  /** No file: no settings. */
  public static ConfigFile none() {
    return new ConfigFile("(no config file)", Map.of(), List.of());
  }

  /** Reads {@code path}; a missing, unreadable or malformed file is a {@link ConfigException} naming it. */
  public static ConfigFile read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config " + path + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("--config " + path + ": cannot be read (" + e.getMessage() + ")");
    }
    return parse(bytes, path.toString());
  }

  /** @param source names the file in messages */
  public static ConfigFile parse(byte[] bytes, String source) {
    Map<String, Integer> lines = linesOfKeys(bytes, source);
    JsonNode root;
    try {
      root = YAML.readTree(bytes);
    } catch (IOException e) {
      throw notYaml(source, e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(source, Map.of(), List.of());
    }
    if (!root.isObject()) {
      throw new ConfigException("--config " + source + ": must hold a YAML mapping at its top level");
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    List<Setting> strays = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> top = root.fields(); top.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = top.next();
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> inner = value.fields(); inner.hasNext(); ) {
          Map.Entry<String, JsonNode> setting = inner.next();
          String path = name + "." + setting.getKey();
          settings.put(path, new Setting(name, setting.getKey(), lines.getOrDefault(path, 0), setting.getValue()));
        }
      } else if (name.indexOf('.') > 0) {
        int dot = name.indexOf('.');
        settings.putIfAbsent(name, new Setting(name.substring(0, dot), name.substring(dot + 1),
            lines.getOrDefault(name, 0), value));
      } else {
        strays.add(new Setting(name, "", lines.getOrDefault(name, 0), value));
      }
    }
    return new ConfigFile(source, settings, strays);
  }

  /** Line of every key of the first two levels, as {@code section} and {@code section.key}. */
  private static Map<String, Integer> linesOfKeys(byte[] bytes, String source) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    try (JsonParser parser = YAML.getFactory().createParser(bytes)) {
      List<String> path = new ArrayList<>();
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> {
            depth--;
            while (path.size() > depth) {
              path.remove(path.size() - 1);
            }
          }
          case FIELD_NAME -> {
            while (path.size() >= depth) {
              path.remove(path.size() - 1);
            }
            path.add(parser.currentName());
            if (path.size() <= 2) {
              lines.putIfAbsent(String.join(".", path), parser.currentLocation().getLineNr());
            }
          }
          default -> { }
        }
      }
    } catch (IOException e) {
      throw notYaml(source, e);
    }
    return lines;
  }

  private static ConfigException notYaml(String source, IOException e) {
    String problem = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    JsonLocation at = e instanceof JsonProcessingException json ? json.getLocation() : null;
    return new ConfigException("--config " + source + ": not YAML"
        + (at == null ? "" : " at line " + at.getLineNr()) + ": " + problem.lines().findFirst().orElse(problem));
  }

  /** The setting {@code section.key}, or null. */
  public Setting setting(String section, String key) {
    return settings.get(section + "." + key);
  }

  public Iterable<Setting> settings() {
    return settings.values();
  }

  /** Top-level keys that are no {@code section} mapping nor {@code section.key}. */
  public List<Setting> strays() {
    return strays;
  }

  /** {@code FILE line N}, for messages. */
  public String where(Setting setting) {
    return "config file " + source + (setting.line() > 0 ? " line " + setting.line() : "");
  }
}
