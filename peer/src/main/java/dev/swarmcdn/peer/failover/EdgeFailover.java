package dev.swarmcdn.peer.failover;

import dev.swarmcdn.peer.util.Clock;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge an engine loads from, and moving to another when it fails, with the browser engine's
 * policy (web-player/src/engine/edge-failover.js; docs/ARCHITECTURE.md, "Failover"):
 * <ul>
 *   <li>The player keeps the URLs of the first edge it was routed to; {@link #rewrite} moves each
 *       request onto the current edge, so playlists and segments follow a switch without the
 *       player knowing.</li>
 *   <li>{@link #failed} marks the failed edge bad for {@value #BAD_EDGE_MS} ms and asks
 *       {@code /route} again, excluding the bad edges. One ask at a time (failures meanwhile share
 *       it), and after each ask none for a gap that starts at {@value #MIN_ASK_GAP_MS} ms and doubles,
 *       up to {@value #MAX_ASK_GAP_MS} ms, while asks bring no other edge: no retry storm.</li>
 *   <li>A failure of an edge the engine already left needs no ask: the request retries on the
 *       current edge.</li>
 * </ul>
 * Confined to the engine's thread.
 */
public final class EdgeFailover {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeFailover.class);
  /** An edge that failed is kept out of route asks this long. */
  public static final long BAD_EDGE_MS = 30_000;
  public static final long MIN_ASK_GAP_MS = 1_000;
  public static final long MAX_ASK_GAP_MS = 30_000;
  /** The tracker's bound on {@code exclude}. */
  static final int MAX_EXCLUDED = 8;

  private final Clock clock;
  private final Function<Set<String>, Future<RouteAnswer>> askRoute;
  private final Consumer<RouteAnswer> switched;
  /** Edge base URL (without token) -> until when it is kept away, and its id. */
  private final Map<String, Bad> bad = new HashMap<>();
  private String firstBase;
  private RouteAnswer current;
  private Future<Boolean> asking;
  private long nextAskAt;
  private long askGap = MIN_ASK_GAP_MS;

  private record Bad(String edgeId, long until) {
  }

  /**
   * @param askRoute  asks {@code /route} again, excluding the given edge ids
   * @param switched  told each time the engine moves to another edge (on the engine's thread)
   */
  public EdgeFailover(Clock clock, Function<Set<String>, Future<RouteAnswer>> askRoute, Consumer<RouteAnswer> switched) {
    this.clock = clock;
    this.askRoute = askRoute;
    this.switched = switched;
  }

  /** The route the player was first given: its URLs carry this answer's base from now on. */
  public void start(RouteAnswer first) {
    firstBase = first.base();
    current = first;
  }

  /** {@code url} on the current edge: unchanged unless it is on the first edge and the engine moved since. */
  public String rewrite(String url) {
    if (current == null || firstBase.equals(current.base()) || !within(url, firstBase)) {
      return url;
    }
    return current.base() + url.substring(firstBase.length());
  }

  /** Whether {@code url} (as rewritten) goes to an edge this failover manages. */
  public boolean managed(String url) {
    return current != null && (within(url, current.base()) || within(url, firstBase));
  }

  /**
   * A request to {@code url} (as rewritten) failed the way an edge fails.
   *
   * @return true when the engine is now on another edge, where the request may be tried again
   */
  public Future<Boolean> failed(String url) {
    if (current == null) {
      return Future.succeededFuture(false);
    }
    if (!within(url, current.base())) {
      return Future.succeededFuture(true); // an edge already left: the current one is worth a try
    }
    bad.put(current.edge(), new Bad(current.edgeId(), clock.now() + BAD_EDGE_MS));
    if (asking != null) {
      return asking;
    }
    if (clock.now() < nextAskAt) {
      return Future.succeededFuture(false);
    }
    LOG.info("edge {} failed; asking for another", current.edge());
    Future<Boolean> ask = askRoute.apply(excluded()).map(this::moveTo).otherwise(e -> {
      LOG.info("route: {}", e.getMessage());
      return false;
    });
    asking = ask;
    ask.onComplete(moved -> {
      asking = null;
      askGap = moved.result() ? MIN_ASK_GAP_MS : Math.min(MAX_ASK_GAP_MS, askGap * 2);
      nextAskAt = clock.now() + askGap;
    });
    return ask;
  }

  private boolean moveTo(RouteAnswer answer) {
    Bad known = bad.get(answer.edge());
    if (known != null && known.until() > clock.now()) {
      LOG.info("route names {} again: no other edge", answer.edge());
      return false;
    }
    LOG.info("failover: {} -> {}", current.edge(), answer.edge());
    current = answer;
    switched.accept(answer);
    return true;
  }

  /** Ids of the edges kept away now, in order, as many as the tracker reads as {@code exclude}. */
  private Set<String> excluded() {
    long now = clock.now();
    bad.values().removeIf(b -> b.until() <= now);
    Set<String> ids = new TreeSet<>();
    bad.values().forEach(b -> {
      if (b.edgeId() != null && ids.size() < MAX_EXCLUDED) {
        ids.add(b.edgeId());
      }
    });
    return ids;
  }

  private static boolean within(String url, String base) {
    return url.startsWith(base) && (url.length() == base.length() || url.charAt(base.length()) == '/');
  }
}
