package dev.swarmcdn.kit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An entity tag (RFC 9110 section 8.8.3): an opaque string in double quotes, optionally marked weak
 * with {@code W/}. Immutable.
 *
 * @param opaque the tag between the quotes
 * @param weak   whether it was sent as {@code W/"..."}
 */
public record EntityTag(String opaque, boolean weak) {

  public EntityTag {
    Objects.requireNonNull(opaque, "opaque");
  }

  /** One tag as it appears in an ETag field, or empty if the value is not exactly one valid tag. */
  public static Optional<EntityTag> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return parseList(value).filter(tags -> tags.size() == 1).map(tags -> tags.get(0));
  }

  /**
   * The tags of an If-Match or If-None-Match list ({@code "a", W/"b"}), or empty if the list is
   * malformed. Commas may occur inside a tag, so the value is scanned rather than split. Empty list
   * elements are allowed, as RFC 9110 section 5.6.1 requires of recipients.
   */
  public static Optional<List<EntityTag>> parseList(String value) {
    List<EntityTag> tags = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (true) {
      while (i < n && (isOptionalWhitespace(value.charAt(i)) || value.charAt(i) == ',')) {
        i++;
      }
      if (i == n) {
        return tags.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(tags));
      }
      boolean weak = value.startsWith("W/", i);
      if (weak) {
        i += 2;
      }
      if (i >= n || value.charAt(i) != '"') {
        return Optional.empty();
      }
      int close = i + 1;
      while (close < n && isEtagChar(value.charAt(close))) {
        close++;
      }
      if (close >= n || value.charAt(close) != '"') {
        return Optional.empty();
      }
      tags.add(new EntityTag(value.substring(i + 1, close), weak));
      i = close + 1;
      while (i < n && isOptionalWhitespace(value.charAt(i))) {
        i++;
      }
      if (i < n && value.charAt(i) != ',') {
        return Optional.empty();
      }
    }
  }

  /** Strong comparison: neither is weak and the opaque tags are equal (for If-Match, If-Range). */
  public boolean strongMatch(EntityTag other) {
    return !weak && !other.weak && opaque.equals(other.opaque);
  }

  /** Weak comparison: the opaque tags are equal, weak or not (for If-None-Match). */
  public boolean weakMatch(EntityTag other) {
    return opaque.equals(other.opaque);
  }

  @Override
  public String toString() {
    return (weak ? "W/\"" : "\"") + opaque + "\"";
  }

  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** etagc: %x21 / %x23-7E / obs-text (%x80-FF). */
  private static boolean isEtagChar(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
  }
}
