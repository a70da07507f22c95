package dev.swarmcdn.kit.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Evaluates the conditional request fields of RFC 9110 section 13 against the validators of the
 * selected representation, in the order section 13.2.2 prescribes: If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since; If-Range separately, since it only decides whether a Range
 * applies.
 */
public final class Preconditions {

  /** What the request's preconditions ask the server to do. */
  public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

  private Preconditions() {}

  /**
   * @param etag         the representation's ETag with quotes, or null if it has none
   * @param lastModified epoch milliseconds, or negative when unknown
   */
  public static Outcome evaluate(HttpMethod method, MultiMap headers, String etag, long lastModified) {
    boolean getOrHead = method == HttpMethod.GET || method == HttpMethod.HEAD;

    String ifMatch = joined(headers, "If-Match");
    if (ifMatch != null) {
      if (!matchesAny(ifMatch, parsed(etag), true)) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else {
      OptionalLong ifUnmodifiedSince = singleDate(headers, "If-Unmodified-Since");
      if (ifUnmodifiedSince.isPresent() && lastModified >= 0
          && HttpDates.toSeconds(lastModified) > HttpDates.toSeconds(ifUnmodifiedSince.getAsLong())) {
        return Outcome.PRECONDITION_FAILED;
      }
    }

    String ifNoneMatch = joined(headers, "If-None-Match");
    // A malformed If-None-Match is treated as absent: it cannot match, and If-Modified-Since may speak.
    if (ifNoneMatch != null && ("*".equals(ifNoneMatch.strip()) || EntityTag.parseList(ifNoneMatch).isPresent())) {
      if (matchesAny(ifNoneMatch, parsed(etag), false)) {
        return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
      }
      return Outcome.PROCEED;
    }

    if (getOrHead && lastModified >= 0) {
      OptionalLong ifModifiedSince = singleDate(headers, "If-Modified-Since");
      if (ifModifiedSince.isPresent()
          && HttpDates.toSeconds(lastModified) <= HttpDates.toSeconds(ifModifiedSince.getAsLong())) {
        return Outcome.NOT_MODIFIED;
      }
    }
    return Outcome.PROCEED;
  }

  // Parsed only when a request compares tags: most requests carry no precondition at all.
  private static Optional<EntityTag> parsed(String etag) {
    return etag == null ? Optional.empty() : EntityTag.parse(etag);
  }

  /**
   * Whether a Range request applies to the current representation given its If-Range field
   * (section 13.1.5): an entity tag must match strongly, a date must equal Last-Modified exactly.
   * Anything else, a weak or malformed validator included, means "send the whole representation".
   *
   * @param ifRange the If-Range value, or null when the request has none (the Range then applies)
   */
  public static boolean rangeApplies(String ifRange, String etag, long lastModified) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.strip();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      Optional<EntityTag> sent = EntityTag.parse(value);
      Optional<EntityTag> current = parsed(etag);
      return sent.isPresent() && current.isPresent() && sent.get().strongMatch(current.get());
    }
    OptionalLong date = HttpDates.parse(value);
    return date.isPresent() && lastModified >= 0
        && HttpDates.toSeconds(date.getAsLong()) == HttpDates.toSeconds(lastModified);
  }

  /** {@code *} matches any current representation; otherwise one listed tag must match. */
  private static boolean matchesAny(String list, Optional<EntityTag> current, boolean strong) {
    if ("*".equals(list.strip())) {
      return true;
    }
    if (current.isEmpty()) {
      return false;
    }
    EntityTag tag = current.get();
    return EntityTag.parseList(list).orElse(List.of()).stream()
        .anyMatch(sent -> strong ? sent.strongMatch(tag) : sent.weakMatch(tag));
  }

  /** A list field sent on several lines is one list (RFC 9110 section 5.3). */
  private static String joined(MultiMap headers, String name) {
    List<String> values = headers.getAll(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /** Date fields with more than one member are invalid, and invalid dates are ignored. */
  private static OptionalLong singleDate(MultiMap headers, String name) {
    List<String> values = headers.getAll(name);
    return values.size() == 1 ? HttpDates.parse(values.get(0)) : OptionalLong.empty();
  }
}
