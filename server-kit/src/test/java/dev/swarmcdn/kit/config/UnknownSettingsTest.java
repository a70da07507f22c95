package dev.swarmcdn.kit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class UnknownSettingsTest {

  @Command(name = "cdn", subcommands = {Origin.class, Edge.class})
  static final class Root {
  }

  @Command(name = "origin", mixinStandardHelpOptions = true)
  static final class Origin {
    @Option(names = "--port") int port;
    @Option(names = "--media-root") String mediaRoot;
  }

  @Command(name = "edge")
  static final class Edge {
    @Option(names = "--origin") String origin;
  }

  @TempDir Path dir;

  private static List<String> refused(Map<String, String> environment, String yaml) {
    ConfigFile file = yaml == null ? ConfigFile.none() : ConfigFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "cdn.yaml");
    ConfigException error = assertThrows(ConfigException.class,
        () -> UnknownSettings.refuse(new CommandLine(new Root()), environment, file));
    return error.getMessage().lines().toList();
  }

  @Test
  void everyKnownSettingPasses() {
    ConfigFile file = ConfigFile.parse("origin:\n  port: 1\n  media-root: m\nedge.origin: http://o\n".getBytes(StandardCharsets.UTF_8), "f");
    UnknownSettings.refuse(new CommandLine(new Root()), Map.of("CDN_ORIGIN_PORT", "2", "CDN_EDGE_ORIGIN", "x",
        "CDN_JAVA_OPTS", "-Xmx1g", "CDN_CONFIG", "f", "CDN_DEBUG", "1", "HOME", "/root"), file);
  }

  @Test
  void misspeltKeysAreNamedWithTheirLineAndTheNearestKey() {
    assertEquals(List.of(
        "config file cdn.yaml line 3: unknown key origin.portt (no --portt in cdn origin) (did you mean port?)",
        "config file cdn.yaml line 4: unknown section egde (did you mean edge?)"),
        refused(Map.of(), "origin:\n  media-root: m\n  portt: 1\negde.origin: http://o\n"));
  }

  @Test
  void aKeyOutsideEverySectionIsNamed() {
    assertEquals(List.of("config file cdn.yaml line 1: port is neither a command's section (edge, origin) nor section.key"),
        refused(Map.of(), "port: 1\n"));
  }

  @Test
  void unknownCdnVariablesAreNamedWithTheNearestOne() {
    assertEquals(List.of("unknown environment variable CDN_ORIGIN_PORTT (did you mean CDN_ORIGIN_PORT?)",
        "unknown environment variable CDN_WHATEVER"),
        refused(Map.of("CDN_ORIGIN_PORTT", "1", "CDN_WHATEVER", "x", "PATH", "/bin"), null));
  }

  @Test
  void helpOptionsAreNoSettings() {
    assertEquals(List.of("unknown environment variable CDN_ORIGIN_HELP (did you mean CDN_ORIGIN_PORT?)"),
        refused(Map.of("CDN_ORIGIN_HELP", "true"), null));
  }

  @Test
  void aMissingOrMalformedFileIsOneLineNamingIt() throws Exception {
    assertEquals("--config " + dir.resolve("none.yaml") + ": no such file",
        assertThrows(ConfigException.class, () -> ConfigFile.read(dir.resolve("none.yaml"))).getMessage());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "origin:\n  port: [1\n");
    String message = assertThrows(ConfigException.class, () -> ConfigFile.read(bad)).getMessage();
    assertEquals(true, message.startsWith("--config " + bad + ": not YAML at line "), message);
    assertEquals(1, message.lines().count(), message);
  }

  @Test
  void distanceCountsEdits() {
    assertEquals(0, UnknownSettings.distance("port", "port"));
    assertEquals(1, UnknownSettings.distance("portt", "port"));
    assertEquals(2, UnknownSettings.distance("egde", "edge"));
    assertEquals(" (did you mean media-root?)", UnknownSettings.nearest("media-rot", List.of("port", "media-root")));
    assertEquals("", UnknownSettings.nearest("tracker", List.of("port", "media-root")));
  }
}
