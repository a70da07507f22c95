package dev.swarmcdn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/compose.yaml as {@code docker compose} would read it: variables interpolated the way
 * compose does ({@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}}: unset or empty
 * stops it, naming the variable), then its services' commands, environments and published ports.
 * YAML anchors and merge keys ({@code <<: *server}) are resolved by the YAML parser.
 */
final class ComposeFile {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[?-])([^}]*))?}");

  private final JsonNode root;

  private ComposeFile(JsonNode root) {
    this.root = root;
  }

  /** Reads {@code file} with {@code variables} as the operator's .env; a required one missing is refused. */
  static ComposeFile read(Path file, Map<String, String> variables) throws IOException {
    String text = interpolate(Files.readString(file), variables);
    return new ComposeFile(new ObjectMapper(new YAMLFactory()).readTree(text));
  }

  static String interpolate(String text, Map<String, String> variables) {
    Matcher match = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (match.find()) {
      String value = variables.get(match.group(1));
      boolean missing = value == null || value.isEmpty();
      if (missing && ":?".equals(match.group(2))) {
        throw new IllegalArgumentException("required variable " + match.group(1) + " is missing: " + match.group(3));
      }
      if (missing) {
        value = ":-".equals(match.group(2)) ? match.group(3) : "";
      }
      match.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    match.appendTail(out);
    return out.toString();
  }

  List<String> services() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode service = root.path("services").path(name);
    if (service.isMissingNode()) {
      throw new IllegalArgumentException("compose.yaml has no service " + name);
    }
    return service;
  }

  /** The service's command, in the list form compose.yaml uses for it. */
  List<String> command(String name) {
    List<String> command = new ArrayList<>();
    service(name).path("command").forEach(arg -> command.add(arg.asText()));
    return command;
  }

  /** Its environment, in the map form compose.yaml uses. */
  Map<String, String> environment(String name) {
    Map<String, String> environment = new LinkedHashMap<>();
    service(name).path("environment").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
    return environment;
  }

  /** The host side of its published ports ({@code [IP:]HOST:CONTAINER[/udp]}). */
  List<Integer> publishedPorts(String name) {
    List<Integer> ports = new ArrayList<>();
    service(name).path("ports").forEach(port -> {
      String[] parts = port.asText().replaceFirst("/udp$", "").split(":");
      ports.add(Integer.parseInt(parts[parts.length - 2]));
    });
    return ports;
  }
}
