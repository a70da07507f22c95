package dev.swarmcdn.kit.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Refuses, at start, settings that no option has: a key of the config file or a {@code CDN_}
 * environment variable that is misspelt would otherwise be ignored without a word, and the server
 * would run on a default the operator thought they had changed. Each is named with where it is and
 * the nearest name that exists. The {@code CDN_} prefix is the system's own: every such variable
 * must be an option's, or one of {@link #OTHER_VARIABLES}.
 */
public final class UnknownSettings {

  /** Variables of ours that are no option's: the config file of all commands, stack traces, the JVM's flags (./cdn). */
  public static final Set<String> OTHER_VARIABLES = Set.of("CDN_CONFIG", "CDN_DEBUG", "CDN_JAVA_OPTS");

  private UnknownSettings() {
  }

  /** @throws ConfigException naming every unknown setting, one per line */
  public static void refuse(CommandLine root, Map<String, String> environment, ConfigFile file) {
    Map<String, Set<String>> keysBySection = new TreeMap<>();
    collect(root, keysBySection);
    Set<String> variables = new TreeSet<>(OTHER_VARIABLES);
    keysBySection.forEach((section, keys) -> keys.forEach(key -> variables.add(LayeredDefaults.environmentName(section, key))));

    List<String> problems = new ArrayList<>();
    for (ConfigFile.Setting stray : file.strays()) {
      problems.add(file.where(stray) + ": " + stray.section() + " is neither a command's section ("
          + String.join(", ", keysBySection.keySet()) + ") nor section.key" + nearest(stray.section(), keysBySection.keySet()));
    }
    for (ConfigFile.Setting setting : file.settings()) {
      Set<String> keys = keysBySection.get(setting.section());
      if (keys == null) {
        problems.add(file.where(setting) + ": unknown section " + setting.section()
            + nearest(setting.section(), keysBySection.keySet()));
      } else if (!keys.contains(setting.key())) {
        problems.add(file.where(setting) + ": unknown key " + setting.name() + " (no --" + setting.key() + " in cdn "
            + setting.section() + ")" + nearest(setting.key(), keys));
      }
    }
    for (String variable : new TreeSet<>(environment.keySet())) {
      if (variable.startsWith("CDN_") && !variables.contains(variable)) {
        problems.add("unknown environment variable " + variable + nearest(variable, variables));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  private static void collect(CommandLine command, Map<String, Set<String>> keysBySection) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        keysBySection.computeIfAbsent(command.getCommandName(), name -> new TreeSet<>()).add(LayeredDefaults.optionKey(option));
      }
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      collect(sub, keysBySection);
    }
  }

  /** {@code " (did you mean X?)"} for the closest candidate within a third of the name's length, or "". */
  static String nearest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Math.max(2, name.length() / 3) + 1;
    for (String candidate : candidates) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
