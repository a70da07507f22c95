package dev.swarmcdn.kit.http;

import io.vertx.core.MultiMap;
import java.util.List;

/** What to send of a representation once the requested range is resolved against its length. */
public sealed interface RangeSelection {

  /** The whole representation: 200. */
  record Whole() implements RangeSelection {}

  /**
   * Bytes first..last (inclusive) of completeLength: 206.
   */
  record Part(long first, long last, long completeLength) implements RangeSelection {
    public Part {
      if (first < 0 || last < first || last >= completeLength) {
        throw new IllegalArgumentException("not a range of " + completeLength + ": " + first + "-" + last);
      }
    }

    public long length() {
      return last - first + 1;
    }

    public String contentRange() {
      return "bytes " + first + "-" + last + "/" + completeLength;
    }
  }

  /** No requested byte exists: 416. */
  record Unsatisfiable(long completeLength) implements RangeSelection {
    public String contentRange() {
      return "bytes */" + completeLength;
    }
  }

  RangeSelection WHOLE = new Whole();

  /**
   * What a request selects of a representation: its single Range header, if If-Range lets it apply.
   * Several Range headers, several ranges, other units and malformed values select the whole
   * representation, as RFC 9110 section 14.2 allows a server to.
   */
  static RangeSelection of(MultiMap requestHeaders, String etag, long lastModified,
      long length) {
    List<String> ranges = requestHeaders.getAll("Range");
    if (ranges.size() != 1
        || !Preconditions.rangeApplies(requestHeaders.get("If-Range"), etag, lastModified)) {
      return WHOLE;
    }
    return ByteRange.parse(ranges.get(0)).map(range -> range.resolve(length)).orElse(WHOLE);
  }
}
