package dev.swarmcdn.edge.registration;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the edge registers with a tracker, which then routes viewers to it.
 *
 * @param trackerUrls        the trackers' base URLs ({@code http://tracker:8090}), tried in turn when
 *                           one fails (the instances of a cluster, or trackers apart); empty: none
 * @param secret             the tracker's edge secret, sent as a bearer token; null: none
 * @param publicUrl          base URL viewers load from; null: http (https with TLS), the public host
 *                           (or the bind host) and the bound port
 * @param capacity           viewer connections this edge serves well: its share of viewers is in
 *                           proportion to it
 * @param heartbeatInterval  how often it reports its load
 */
public record TrackerLink(List<String> trackerUrls, String secret, String publicUrl, long capacity,
    Duration heartbeatInterval) {

  public static final TrackerLink NONE = new TrackerLink(List.of(), null, null, 1000, Duration.ofSeconds(5));

  public TrackerLink {
    trackerUrls = trackerUrls == null ? List.of() : trackerUrls.stream().map(url -> absolute("tracker URL", url)).toList();
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

  /** Registers with {@code trackerUrls} (one or more), other settings at their defaults. */
  public static TrackerLink to(String... trackerUrls) {
    return new TrackerLink(List.of(trackerUrls), NONE.secret, NONE.publicUrl, NONE.capacity, NONE.heartbeatInterval);
  }

  public boolean enabled() {
    return !trackerUrls.isEmpty();
  }

  /** The first tracker: the one tried first, and named where one is named. */
  public String trackerUrl() {
    return trackerUrls.isEmpty() ? null : trackerUrls.get(0);
  }

  public TrackerLink withSecret(String value) {
    return new TrackerLink(trackerUrls, value, publicUrl, capacity, heartbeatInterval);
  }

  public TrackerLink withHeartbeatInterval(Duration value) {
    return new TrackerLink(trackerUrls, secret, publicUrl, capacity, value);
  }

  private static String absolute(String what, String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
