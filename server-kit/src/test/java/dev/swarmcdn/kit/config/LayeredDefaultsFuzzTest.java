package dev.swarmcdn.kit.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The YAML config file, read as every server reads it: the file's bytes, then picocli taking each
 * option's default from it. Whatever the file holds, the outcome is the options, or one of the errors
 * a server reports and exits on: {@link UncheckedIOException} (not YAML),
 * {@link CommandLine.InitializationException} (not a mapping, or a mapping where a value belongs),
 * {@link CommandLine.ParameterException} (a value the option cannot take).
 */
class LayeredDefaultsFuzzTest {

  @Command(name = "origin")
  static final class Origin {
    @Option(names = "--port", defaultValue = "8080") int port;
    @Option(names = "--media-root", defaultValue = "media") String mediaRoot;
    @Option(names = "--live", split = ",") List<String> live = List.of();
    @Option(names = "--ratio", defaultValue = "0.5") double ratio;
    @Option(names = "--tls", defaultValue = "false") boolean tls;
  }

  @FuzzTest
  void configFile(byte[] yaml) {
    JsonNode file;
    try {
      file = LayeredDefaults.parseYaml(yaml, "fuzz.yaml");
    } catch (UncheckedIOException | CommandLine.InitializationException refused) {
      return;
    }
    try {
      new CommandLine(new Origin())
          .setDefaultValueProvider(new LayeredDefaults(Map.of(), file))
          .parseArgs();
    } catch (CommandLine.InitializationException | CommandLine.ParameterException refused) {
      // a server prints these and exits
    }
  }
}
