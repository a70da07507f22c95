package dev.swarmcdn.protocol.integrity;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an integrity manifest says, without the signature: the files one media playlist lists, each
 * with its size and SHA-256. Immutable.
 *
 * @param path          the playlist's public URL path, e.g. {@code /live/demo/360p/index.m3u8}; the
 *                      signature binds the manifest to it, so a manifest cannot be replayed for another
 *                      playlist
 * @param mediaSequence media sequence number of the first entry of {@code segments} (0 for VOD)
 * @param inits         init segments (EXT-X-MAP) the listed segments need, oldest first; empty when the
 *                      playlist has none
 * @param segments      media segments in playlist order
 */
public record ManifestContent(String path, long mediaSequence, List<ManifestEntry> inits,
    List<ManifestEntry> segments) {

  /** First line of the signing input; names the format and its version. */
  public static final String SIGNING_MAGIC = "swarmcdn-integrity/1";

  private static final int MAX_TOKEN = 2048;

  public ManifestContent {
    Objects.requireNonNull(path, "path");
    inits = List.copyOf(inits);
    segments = List.copyOf(segments);
    if (!path.startsWith("/") || !isPrintableToken(path)) {
      throw new IllegalArgumentException("path must start with '/' and be printable ASCII without spaces: " + path);
    }
    if (mediaSequence < 0) {
      throw new IllegalArgumentException("media sequence must not be negative: " + mediaSequence);
    }
    Set<String> uris = new HashSet<>();
    for (ManifestEntry entry : inits) {
      requireUnique(uris, entry);
    }
    for (ManifestEntry entry : segments) {
      requireUnique(uris, entry);
    }
  }

  private static void requireUnique(Set<String> uris, ManifestEntry entry) {
    if (!uris.add(entry.uri())) {
      throw new IllegalArgumentException("uri listed twice: " + entry.uri());
    }
  }

  static boolean isPrintableToken(String s) {
    if (s.isEmpty() || s.length() > MAX_TOKEN) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * The exact bytes the Ed25519 signature covers: UTF-8 (in fact ASCII) lines, each ending in
   * {@code '\n'}: the magic, the path, the media sequence in decimal, then one line per init segment
   * {@code init URI SIZE SHA256} and one per media segment {@code seg URI SIZE SHA256}, in order.
   * Built by plain string joining so that any peer can rebuild it without a JSON canonicalizer.
   */
  public byte[] signingInput() {
    StringBuilder text = new StringBuilder(128 + 120 * (inits.size() + segments.size()));
    text.append(SIGNING_MAGIC).append('\n')
        .append(path).append('\n')
        .append(mediaSequence).append('\n');
    for (ManifestEntry init : inits) {
      appendEntry(text, "init", init);
    }
    for (ManifestEntry segment : segments) {
      appendEntry(text, "seg", segment);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendEntry(StringBuilder text, String kind, ManifestEntry entry) {
    text.append(kind).append(' ')
        .append(entry.uri()).append(' ')
        .append(entry.size()).append(' ')
        .append(entry.sha256()).append('\n');
  }
}
