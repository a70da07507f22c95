package dev.swarmcdn.tracker;

import dev.swarmcdn.protocol.registry.IceServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The TURN relays whose credentials {@code /route} mints for each viewer (coturn's
 * {@code use-auth-secret}: the secret is shared with the TURN server, never handed out). Checked
 * at start, by flag name: a relay every viewer fails to authenticate with would be found only when
 * the viewers behind symmetric NATs got no peers.
 *
 * @param urls    {@code turn:} or {@code turns:} URLs of one relay service, up to
 *                {@value IceServer#MAX_URLS}; empty: no TURN
 * @param secret  the TURN server's {@code static-auth-secret}; null exactly when there are no URLs
 * @param ttl     how long a minted credential is good for, from the {@code /route} answer
 */
public record TurnConfig(List<String> urls, String secret, Duration ttl) {

  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final TurnConfig NONE = new TurnConfig(List.of(), null, DEFAULT_TTL);

  public TurnConfig {
    urls = List.copyOf(urls);
    Objects.requireNonNull(ttl, "ttl");
    if (secret != null && secret.isEmpty()) {
      throw new IllegalArgumentException("--turn-secret must not be empty");
    }
    if (!urls.isEmpty() && secret == null) {
      throw new IllegalArgumentException("--turn-url needs --turn-secret SECRET or --turn-secret-file FILE "
          + "(the TURN server's static-auth-secret), to mint each viewer's credentials");
    }
    if (urls.isEmpty() && secret != null) {
      throw new IllegalArgumentException("--turn-secret is given but no --turn-url to hand viewers");
    }
    for (String url : urls) {
      if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
        throw new IllegalArgumentException("--turn-url takes turn: or turns: URLs, not " + url);
      }
    }
    if (ttl.toSeconds() < 60 || ttl.toSeconds() > Duration.ofDays(2).toSeconds()) {
      throw new IllegalArgumentException("--turn-ttl-seconds must be 60 to 172800, not " + ttl.toSeconds());
    }
    if (!urls.isEmpty()) {
      // The rest of what viewers' RTCPeerConnection refuses (length, characters, count): the
      // entry /route will hand out, with a username and password of the minted shape.
      new IceServer(urls, "1893456000:viewer", "credential");
    }
  }

  public boolean enabled() {
    return !urls.isEmpty();
  }

  /** Keeps the secret out of logs. */
  @Override
  public String toString() {
    return enabled() ? "TurnConfig" + urls + " for " + ttl.toSeconds() + " s" : "TurnConfig[none]";
  }
}
