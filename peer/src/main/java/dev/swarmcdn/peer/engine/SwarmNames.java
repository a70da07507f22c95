package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.integrity.IntegrityManifests;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which swarm a media playlist belongs to, named as the browser's swarmOf names it:
 * {@code /live/NAME/REND/index.m3u8} is stream NAME, rendition REND; any other playlist is named by
 * its folder (stream) and its file name or, for {@code index.m3u8}, its folder's name (rendition).
 */
public final class SwarmNames {
  private static final int MAX_NAME = 128;

  private SwarmNames() {
  }

  /** @param stream  replaces the stream's name (the swarm id option), or null */
  public static SwarmId swarmOf(String playlistUrl, String stream) {
    List<String> parts = new ArrayList<>();
    for (String part : IntegrityManifests.manifestPath(playlistUrl).split("/")) {
      if (!part.isEmpty()) {
        parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
      }
    }
    String file = parts.isEmpty() ? "" : parts.remove(parts.size() - 1);
    String name;
    String rendition;
    if (parts.size() == 3 && parts.get(0).equals("live")) {
      name = parts.get(1);
      rendition = parts.get(2);
    } else {
      rendition = file.matches("(?i)^index\\.m3u8?$") && !parts.isEmpty() ? parts.remove(parts.size() - 1)
          : file.replaceFirst("(?i)\\.m3u8?$", "");
      name = String.join("/", parts);
    }
    return new SwarmId(clean(stream != null ? stream : name), clean(rendition));
  }

  /** Printable ASCII only, 1 to 128 of it (the end kept: it tells names apart). */
  private static String clean(String name) {
    char[] chars = name.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] < 0x21 || chars[i] > 0x7e) {
        chars[i] = '_';
      }
    }
    String printable = new String(chars);
    if (printable.length() > MAX_NAME) {
      printable = printable.substring(printable.length() - MAX_NAME);
    }
    return printable.isEmpty() ? "_" : printable;
  }

}
