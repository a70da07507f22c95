package dev.swarmcdn.edge;

import java.net.URI;
import java.time.Duration;

/**
 * How the edge registers with a tracker, which then routes viewers to it.
 *
 * @param trackerUrl         the tracker's base URL ({@code http://tracker:8090}); null: no tracker
 * @param secret             the tracker's edge secret, sent as a bearer token; null: none
 * @param publicUrl          base URL viewers load from; null: http (https with TLS), the public host
 *                           (or the bind host) and the bound port
 * @param capacity           viewer connections this edge serves well: its share of viewers is in
 *                           proportion to it
 * @param heartbeatInterval  how often it reports its load
 */
public record TrackerLink(String trackerUrl, String secret, String publicUrl, long capacity,
    Duration heartbeatInterval) {

  public static final TrackerLink NONE = new TrackerLink(null, null, null, 1000, Duration.ofSeconds(5));

  public TrackerLink {
    trackerUrl = trackerUrl == null ? null : absolute("tracker URL", trackerUrl);
    publicUrl = publicUrl == null ? null : absolute("public URL", publicUrl);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    if (heartbeatInterval.toMillis() < 1) {
      throw new IllegalArgumentException("the heartbeat interval must be positive");
    }
    if (secret != null && secret.isEmpty()) {
      throw new IllegalArgumentException("the tracker secret must not be empty");
    }
  }

  /** Registers with {@code trackerUrl}, other settings at their defaults. */
  public static TrackerLink to(String trackerUrl) {
    return new TrackerLink(trackerUrl, NONE.secret, NONE.publicUrl, NONE.capacity, NONE.heartbeatInterval);
  }

  public boolean enabled() {
    return trackerUrl != null;
  }

  public TrackerLink withSecret(String value) {
    return new TrackerLink(trackerUrl, value, publicUrl, capacity, heartbeatInterval);
  }

  public TrackerLink withHeartbeatInterval(Duration value) {
    return new TrackerLink(trackerUrl, secret, publicUrl, capacity, value);
  }

  private static String absolute(String what, String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
