package dev.swarmcdn.edge.forwarding.cache;

import java.util.Locale;

/**
 * The response directives of a Cache-Control header that a shared cache acts on (RFC 9111 section
 * 5.2.2, RFC 5861). Durations are in seconds, -1 when absent. Unknown directives are ignored, and a
 * directive with a malformed value is treated as absent, except that a malformed {@code max-age}
 * makes the response stale (RFC 9111 section 4.2.1: "treat as stale").
 */
public record CacheControl(
    long maxAge,
    long sMaxAge,
    long staleWhileRevalidate,
    long staleIfError,
    boolean noStore,
    boolean noCache,
    boolean isPrivate,
    boolean mustRevalidate,
    boolean immutable) {

  public static final CacheControl NONE = new CacheControl(-1, -1, -1, -1, false, false, false, false, false);

  /** Parses one or more comma-joined header values; null means no header. */
  public static CacheControl parse(String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    long maxAge = -1;
    long sMaxAge = -1;
    long swr = -1;
    long sie = -1;
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    boolean mustRevalidate = false;
    boolean immutable = false;
    for (String raw : splitDirectives(header)) {
      String directive = raw.trim();
      if (directive.isEmpty()) {
        continue;
      }
      int eq = directive.indexOf('=');
      String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
      switch (name) {
        case "max-age" -> maxAge = seconds(value, 0);
        case "s-maxage" -> sMaxAge = seconds(value, 0);
        case "stale-while-revalidate" -> swr = seconds(value, -1);
        case "stale-if-error" -> sie = seconds(value, -1);
        case "no-store" -> noStore = true;
        // A qualified no-cache="field" only forbids reusing those fields; we do not keep per-field
        // state, so we treat it like the unqualified form: always revalidate. Safe, never stale.
        case "no-cache" -> noCache = true;
        case "private" -> isPrivate = true;
        case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
        case "immutable" -> immutable = true;
        default -> { }
      }
    }
    return new CacheControl(maxAge, sMaxAge, swr, sie, noStore, noCache, isPrivate, mustRevalidate, immutable);
  }

  /** Whether a shared cache may store the response at all. */
  public boolean storable() {
    return !noStore && !isPrivate;
  }

  /**
   * Whether the response forbids a shared cache to serve it stale in any case, upstream errors
   * included (RFC 9111 section 4.2.4): must-revalidate and proxy-revalidate say so, s-maxage
   * implies proxy-revalidate (section 5.2.2.10), and no-cache allows no use without a successful
   * validation, which an upstream that fails cannot give.
   */
  public boolean forbidsStale() {
    return mustRevalidate || noCache || sMaxAge >= 0;
  }

  /** Freshness lifetime a shared cache takes from this header: s-maxage first, then max-age. */
  public long sharedMaxAge() {
    return sMaxAge >= 0 ? sMaxAge : maxAge;
  }

  private static long seconds(String value, long whenMalformed) {
    if (value == null || value.isEmpty()) {
      return whenMalformed;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!Character.isDigit(value.charAt(i))) {
        return whenMalformed;
      }
    }
    // RFC 9111 section 1.2.2: delta-seconds too large to represent are taken as 2^31.
    return value.length() > 10 ? Integer.MAX_VALUE : Math.min(Long.parseLong(value), Integer.MAX_VALUE);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /** Splits on commas outside quoted strings: {@code no-cache="a, b"} is one directive. */
  private static Iterable<String> splitDirectives(String header) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        parts.add(header.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(header.substring(start));
    return parts;
  }
}
