package dev.swarmcdn.kit.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The YAML config file, read as every server reads it: the file's bytes, then picocli taking each
 * option's default from it, and the check for keys no option has. Whatever the file holds, the
 * outcome is the options, or one of the errors a server reports and exits on: a
 * {@link ConfigException} (not YAML, not a mapping, a mapping where a value belongs, a key no
 * option has) or a {@link CommandLine.ParameterException} (a value the option cannot take).
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
    ConfigFile file;
    try {
      file = ConfigFile.parse(yaml, "fuzz.yaml");
    } catch (ConfigException refused) {
      return;
    }
    try {
      CommandLine command = new CommandLine(new Origin());
      UnknownSettings.refuse(command, Map.of(), file);
      command.setDefaultValueProvider(new LayeredDefaults(Map.of(), file)).parseArgs();
    } catch (ConfigException | CommandLine.ParameterException refused) {
      // a server prints these and exits
    }
  }
}
