package dev.swarmcdn.kit.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A single byte range a client asked for in a Range field (RFC 9110 section 14.1.2), before it is
 * known how long the representation is.
 *
 * <p>Only one range is honoured. Multiple ranges would need a multipart/byteranges body that no
 * HLS player asks for; RFC 9110 section 14.2 lets a server ignore Range altogether, so a request
 * with several ranges, another unit, or a malformed value gets the whole representation (200).
 */
public sealed interface ByteRange {

  /** {@code bytes=first-last}. */
  record Bounded(long first, long last) implements ByteRange {
    @Override
    public RangeSelection resolve(long completeLength) {
      return first >= completeLength ? new RangeSelection.Unsatisfiable(completeLength)
          : new RangeSelection.Part(first, Math.min(last, completeLength - 1), completeLength);
    }
  }

  /** {@code bytes=first-}: from first to the end. */
  record From(long first) implements ByteRange {
    @Override
    public RangeSelection resolve(long completeLength) {
      return first >= completeLength ? new RangeSelection.Unsatisfiable(completeLength)
          : new RangeSelection.Part(first, completeLength - 1, completeLength);
    }
  }

  /** {@code bytes=-length}: the last length bytes, or all of them if there are fewer. */
  record Suffix(long length) implements ByteRange {
    @Override
    public RangeSelection resolve(long completeLength) {
      if (length == 0) {
        return new RangeSelection.Unsatisfiable(completeLength);
      }
      // Satisfiable for an empty representation (section 14.1.1), but no Content-Range can say
      // "zero bytes of zero": send the whole, empty, representation.
      return completeLength == 0 ? RangeSelection.WHOLE
          : new RangeSelection.Part(Math.max(0, completeLength - length), completeLength - 1, completeLength);
    }
  }

  /** Decides what to send from a representation of the given length. */
  RangeSelection resolve(long completeLength);

  /** The one range of a Range field value, or empty when the field is to be ignored. */
  static Optional<ByteRange> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int equals = value.indexOf('=');
    if (equals < 0 || !value.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
      return Optional.empty();
    }
    // Empty list elements ("bytes=0-1,") are allowed; what is left must be exactly one range.
    List<String> specs = Stream.of(value.substring(equals + 1).split(",", -1))
        .map(String::strip).filter(spec -> !spec.isEmpty()).toList();
    return specs.size() == 1 ? parseSpec(specs.get(0)) : Optional.empty();
  }

  private static Optional<ByteRange> parseSpec(String spec) {
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String first = spec.substring(0, dash);
    String last = spec.substring(dash + 1);
    if (first.isEmpty()) {
      return isDigits(last) ? Optional.of(new Suffix(saturatingParse(last))) : Optional.empty();
    }
    if (!isDigits(first)) {
      return Optional.empty();
    }
    long from = saturatingParse(first);
    if (last.isEmpty()) {
      return Optional.of(new From(from));
    }
    if (!isDigits(last)) {
      return Optional.empty();
    }
    long to = saturatingParse(last);
    // last < first makes the whole field invalid (section 14.1.1), hence ignored.
    return to < from ? Optional.empty() : Optional.of(new Bounded(from, to));
  }

  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** Positions beyond any real length are clamped later, so an overflowing number means "huge". */
  private static long saturatingParse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException tooLarge) {
      return Long.MAX_VALUE;
    }
  }
}
