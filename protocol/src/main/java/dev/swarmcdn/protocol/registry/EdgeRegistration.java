package dev.swarmcdn.protocol.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * What an edge declares when it registers.
 *
 * @param id        its name: 1 to 64 of {@code A-Z a-z 0-9 . _ -} (it ends up in URL paths and
 *                  metric tags)
 * @param url       the base URL viewers load from: absolute http or https, no query, no fragment,
 *                  at most 512 characters; a trailing slash is dropped
 * @param capacity  how many viewer connections it serves well; its share of the load is in
 *                  proportion to this
 * @param iceServers the ICE servers it offers its viewers (its STUN endpoint, TURN relays), handed
 *                  out with every route to it; at most {@value IceServer#MAX_SERVERS}, possibly none
 */
public record EdgeRegistration(String id, String url, long capacity, List<IceServer> iceServers) {

  public static final int MAX_ID_LENGTH = 64;
  public static final int MAX_URL_LENGTH = 512;
  public static final long MAX_CAPACITY = 1_000_000_000L;

  public EdgeRegistration {
    id = validId(id);
    url = baseUrl("url", url);
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be 1 to " + MAX_CAPACITY);
    }
    iceServers = List.copyOf(iceServers);
    if (iceServers.size() > IceServer.MAX_SERVERS) {
      throw new IllegalArgumentException("iceServers holds at most " + IceServer.MAX_SERVERS + " servers");
    }
  }

  /** An edge that offers no ICE servers. */
  public EdgeRegistration(String id, String url, long capacity) {
    this(id, url, capacity, List.of());
  }

  /** @throws IllegalArgumentException with the rule the id breaks */
  public static String validId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("id must hold 1 to " + MAX_ID_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException("id may only hold A-Z a-z 0-9 . _ -");
      }
    }
    return id;
  }

  /**
   * An absolute http(s) URL without user, query or fragment, at most {@value #MAX_URL_LENGTH}
   * characters, with no trailing slash (those given are dropped).
   *
   * @throws IllegalArgumentException naming {@code field} and the rule it breaks
   */
  public static String baseUrl(String field, String url) {
    if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException(field + " must hold 1 to " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(field + " must be an absolute http(s) URL without user, query or fragment");
    }
    // Every trailing slash: what is left must read back as itself, or a route would hand viewers
    // "https://edge//live/..." from an edge that registered "https://edge//".
    int end = url.length();
    while (url.charAt(end - 1) == '/') {
      end--;
    }
    String base = url.substring(0, end);
    if (!base.equals(url)) {
      return baseUrl(field, base);
    }
    return base;
  }
}
