package dev.swarmcdn.peer.util;

import java.util.Locale;
import picocli.CommandLine;

/** {@code on}/{@code off} (and true/false, yes/no), the browser player's attribute values. */
public final class OnOff implements CommandLine.ITypeConverter<Boolean> {
  @Override
  public Boolean convert(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new CommandLine.TypeConversionException("'" + value + "' is neither on nor off");
    };
  }
}
