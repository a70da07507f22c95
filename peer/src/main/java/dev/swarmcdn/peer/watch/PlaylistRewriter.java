package dev.swarmcdn.peer.watch;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a playlist so that a local player asks this peer for everything it names: every URI
 * (a variant or segment line, and the {@code URI="..."} of EXT-X-MAP, EXT-X-KEY, EXT-X-MEDIA,
 * EXT-X-I-FRAME-STREAM-INF...) becomes a root-relative path on the local server. A URI outside the
 * mirrored upstream (another host) is written absolute, so the player still finds it.
 */
final class PlaylistRewriter {
  private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
  private static final Pattern LONE_PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private final UpstreamPaths paths;

  PlaylistRewriter(UpstreamPaths paths) {
    this.paths = paths;
  }

  /** {@code text} as loaded from {@code upstreamUrl}, pointing at the local server. */
  String rewrite(String text, String upstreamUrl) {
    URI base = URI.create(upstreamUrl);
    StringBuilder out = new StringBuilder(text.length() + 256);
    for (String line : text.split("\r?\n", -1)) {
      String trimmed = line.trim();
      if (trimmed.isEmpty()) {
        out.append(line);
      } else if (trimmed.startsWith("#")) {
        out.append(rewriteAttributes(line, base));
      } else {
        out.append(point(trimmed, base));
      }
      out.append('\n');
    }
    // split(-1) leaves one empty line after a final newline: do not double it.
    if (text.endsWith("\n")) {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private String rewriteAttributes(String line, URI base) {
    if (!line.contains("URI=\"")) {
      return line;
    }
    Matcher match = URI_ATTRIBUTE.matcher(line);
    StringBuilder out = new StringBuilder();
    while (match.find()) {
      match.appendReplacement(out, Matcher.quoteReplacement("URI=\"" + point(match.group(1), base) + "\""));
    }
    match.appendTail(out);
    return out.toString();
  }

  /** Where the local player should fetch {@code uri}, written relative to {@code base}. */
  private String point(String uri, URI base) {
    String absolute;
    try {
      absolute = base.resolve(uri).toString();
    } catch (IllegalArgumentException notAUri) {
      // ffmpeg writes a lone '%' into some names (init_e1_%v.mp4): escaped, it is a URI that every
      // player and server reads as the same name.
      try {
        absolute = base.resolve(LONE_PERCENT.matcher(uri).replaceAll("%25")).toString();
      } catch (IllegalArgumentException stillNot) {
        return uri; // a player fails on it too; leave it as written
      }
    }
    if (absolute.startsWith("data:") || absolute.startsWith("skd:")) {
      return uri;
    }
    String local = paths.local(absolute);
    return local != null ? local : absolute;
  }
}
