package dev.swarmcdn.kit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class LayeredDefaultsTest {

  @Command(name = "origin")
  static final class Sample {
    @Option(names = "--port", defaultValue = "8080") int port;
    @Option(names = "--media-root", defaultValue = "media") String mediaRoot;
    @Option(names = "--live", split = ",") List<String> live = List.of();
  }

  @TempDir Path dir;

  private Sample parse(Map<String, String> env, String yaml, String... args) throws Exception {
    Path file = null;
    if (yaml != null) {
      file = dir.resolve("cdn.yaml");
      Files.writeString(file, yaml);
    }
    Sample sample = new Sample();
    new CommandLine(sample)
        .setDefaultValueProvider(new LayeredDefaults(env, file == null ? null : ConfigFile.read(file)))
        .parseArgs(args);
    return sample;
  }

  @Test
  void builtInDefaultWhenNothingElseSays() throws Exception {
    assertEquals(8080, parse(Map.of(), null).port);
  }

  @Test
  void fileOverridesBuiltInDefault() throws Exception {
    Sample sample = parse(Map.of(), "origin:\n  port: 9001\n  media-root: /srv/hls\n  live: [a, b]\n");
    assertEquals(9001, sample.port);
    assertEquals("/srv/hls", sample.mediaRoot);
    assertEquals(List.of("a", "b"), sample.live);
  }

  @Test
  void environmentOverridesFile() throws Exception {
    Sample sample = parse(Map.of("CDN_ORIGIN_PORT", "9002", "CDN_ORIGIN_MEDIA_ROOT", "/env"),
        "origin:\n  port: 9001\n");
    assertEquals(9002, sample.port);
    assertEquals("/env", sample.mediaRoot);
  }

  @Test
  void flagOverridesEnvironment() throws Exception {
    assertEquals(9003, parse(Map.of("CDN_ORIGIN_PORT", "9002"), null, "--port", "9003").port);
  }

  @Test
  void badValueFromEnvironmentIsAClearError() {
    CommandLine.ParameterException error = assertThrows(CommandLine.ParameterException.class,
        () -> parse(Map.of("CDN_ORIGIN_PORT", "eighty"), null));
    assertEquals(true, error.getMessage().contains("eighty"), error.getMessage());
  }

  @Test
  void aValueFromTheEnvironmentOrTheFileNamesItsSource() throws Exception {
    Files.writeString(dir.resolve("cdn.yaml"), "# comment\norigin:\n  media-root: /srv\n  port: 9001\n");
    LayeredDefaults defaults = new LayeredDefaults(Map.of("CDN_ORIGIN_LIVE", "a"), ConfigFile.read(dir.resolve("cdn.yaml")));
    CommandLine.Model.CommandSpec spec = new CommandLine(new Sample()).getCommandSpec();
    assertEquals("config file " + dir.resolve("cdn.yaml") + " line 4 (origin.port)", defaults.sourceOf(spec.findOption("--port")));
    assertEquals("environment variable CDN_ORIGIN_LIVE", defaults.sourceOf(spec.findOption("--live")));
    assertEquals(null, new LayeredDefaults(Map.of(), ConfigFile.none()).sourceOf(spec.findOption("--port")));
  }

  @Test
  void fileMustHoldAMapping() throws Exception {
    Path file = dir.resolve("list.yaml");
    Files.writeString(file, "- 1\n- 2\n");
    assertThrows(ConfigException.class, () -> ConfigFile.read(file));
  }

  @Test
  void configFileFoundInArgumentsOrEnvironment() {
    assertEquals(Path.of("a.yaml"), LayeredDefaults.configFileFrom(new String[] {"origin", "--config", "a.yaml"}, Map.of()));
    assertEquals(Path.of("b.yaml"), LayeredDefaults.configFileFrom(new String[] {"--config=b.yaml"}, Map.of()));
    assertEquals(Path.of("c.yaml"), LayeredDefaults.configFileFrom(new String[] {}, Map.of("CDN_CONFIG", "c.yaml")));
    assertEquals(null, LayeredDefaults.configFileFrom(new String[] {}, Map.of()));
    assertEquals(Path.of("d.yaml"), LayeredDefaults.configFileFrom(new String[] {"edge"},
        Map.of("CDN_EDGE_CONFIG", "d.yaml", "CDN_CONFIG", "c.yaml")), "the command's own variable first");
    assertEquals(Path.of("c.yaml"), LayeredDefaults.configFileFrom(new String[] {"origin"},
        Map.of("CDN_EDGE_CONFIG", "d.yaml", "CDN_CONFIG", "c.yaml")));
  }

  @Test
  void environmentNamesFollowCommandAndOption() {
    assertEquals("CDN_ORIGIN_MEDIA_ROOT", LayeredDefaults.environmentName("origin", "media-root"));
  }
}
