package dev.swarmcdn.origin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One step of a live ABR ladder, written {@code NAME:WIDTHxHEIGHT:VIDEO_KBPS} (e.g.
 * {@code 360p:640x360:800}).
 */
public record Rendition(String name, int width, int height, int videoKbps) {

  public static final String DEFAULT_LADDER = "360p:640x360:800,180p:320x180:250";

  /** Audio bitrate every rendition carries, in kbit/s. */
  public static final int AUDIO_KBPS = 96;

  public Rendition {
    if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("rendition name must be 1-32 letters, digits, '-', '_': " + name);
    }
    if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("rendition size must be even and at least 16x16: " + name);
    }
    if (videoKbps < 16) {
      throw new IllegalArgumentException("rendition bitrate must be at least 16 kbit/s: " + name);
    }
  }

  /** Peak bandwidth to announce in the master playlist, bits per second, with container overhead. */
  public long bandwidth() {
    return (long) ((videoKbps + AUDIO_KBPS) * 1000L * 1.1);
  }

  public static Rendition parse(String spec) {
    String[] parts = spec.trim().split(":");
    if (parts.length != 3) {
      throw new IllegalArgumentException("rendition must be NAME:WIDTHxHEIGHT:KBPS, got " + spec);
    }
    String[] size = parts[1].toLowerCase(Locale.ROOT).split("x");
    if (size.length != 2) {
      throw new IllegalArgumentException("rendition size must be WIDTHxHEIGHT, got " + parts[1]);
    }
    try {
      return new Rendition(parts[0], Integer.parseInt(size[0]), Integer.parseInt(size[1]),
          Integer.parseInt(parts[2].replaceAll("(?i)k$", "")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rendition numbers are not numbers: " + spec, e);
    }
  }

  public static List<Rendition> parseLadder(String specs) {
    List<Rendition> ladder = new ArrayList<>();
    for (String spec : specs.split(",")) {
      if (!spec.isBlank()) {
        ladder.add(parse(spec));
      }
    }
    if (ladder.stream().map(Rendition::name).distinct().count() != ladder.size()) {
      throw new IllegalArgumentException("rendition names must differ: " + specs);
    }
    return List.copyOf(ladder);
  }
}
