package dev.swarmcdn.tracker.routing;

import dev.swarmcdn.kit.http.JsonReply;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.registry.RegistryJson;
import dev.swarmcdn.tracker.ops.RoutingMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /route?stream=ID}: where a viewer of the stream loads from (an edge's base URL), the
 * ICE servers that edge offers (then, with TURN configured, a relay with credentials minted for
 * this viewer alone), the tracker's WebSocket URL, and, when the tracker holds the secrets, the
 * tokens for both. No edge in rotation: the origin, with {@code "fallback": true} and
 * the reason; no origin configured either: 503. Players call it from pages of other origins: the
 * answer allows any (CORS), and is never cached, since it depends on load and carries tokens.
 */
public final class RouteEndpoint implements Handler<RoutingContext> {

  public static final String PATH = "/route";
  public static final int MAX_STREAM_LENGTH = 128;
  /** Edge ids one {@code exclude} may name: a viewer names the edges it saw fail lately, a few. */
  public static final int MAX_EXCLUDED = 8;
  static final String NO_EDGE = "no healthy edge";
  private static final Base64.Encoder VIEWER_ID = Base64.getUrlEncoder().withoutPadding();

  private final EdgeRouter router;
  private final RouteTokens tokens;
  private final RoutingMetrics metrics;
  private final Supplier<String> trackerUrl;
  private final String originUrl;
  private final TurnCredentials turn;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param trackerUrl  the WebSocket URL viewers reach the tracker at
   * @param originUrl   where viewers go when no edge is in rotation; null: nowhere (503)
   * @param turn        mints each viewer's TURN credentials; null: no relay handed out
   */
  public RouteEndpoint(EdgeRouter router, RouteTokens tokens, RoutingMetrics metrics, Supplier<String> trackerUrl,
      String originUrl, TurnCredentials turn) {
    this.router = router;
    this.tokens = tokens;
    this.metrics = metrics;
    this.trackerUrl = trackerUrl;
    this.originUrl = originUrl;
    this.turn = turn;
  }

  public void mount(Router on) {
    on.get(PATH).handler(this);
    on.options(PATH).handler(ctx -> allowAnyOrigin(ctx.response()).setStatusCode(204)
        .putHeader("Access-Control-Allow-Methods", "GET, OPTIONS")
        .putHeader("Access-Control-Max-Age", "86400")
        .end());
  }

  @Override
  public void handle(RoutingContext ctx) {
    allowAnyOrigin(ctx.response());
    String stream = ctx.request().getParam("stream");
    String problem = checkStream(stream);
    if (problem != null) {
      JsonReply.error(ctx, 400, "bad_request", problem);
      return;
    }
    Set<String> excluded = excludedEdges(ctx.request().getParam("exclude"));
    if (excluded == null) {
      JsonReply.error(ctx, 400, "bad_request", "exclude must be a comma-separated list of at most "
          + MAX_EXCLUDED + " edge ids");
      return;
    }
    router.route(stream, excluded).onSuccess(edge -> {
      if (edge.isPresent()) {
        metrics.routed(edge.get().id());
        JsonReply.send(ctx, 200, answer(stream, edge.get().url(), false).put("edgeId", edge.get().id())
            .put("iceServers", new JsonArray(RegistryJson.iceServers(withRelay(edge.get().registration().iceServers())))));
        return;
      }
      metrics.fellBack();
      if (originUrl == null) {
        JsonReply.error(ctx, 503, "no_edge", NO_EDGE + " and no origin to fall back to");
        return;
      }
      // The origin runs no STUN server; a relay is the edges' no more than the origin's.
      JsonReply.send(ctx, 200, answer(stream, originUrl, true).put("reason", NO_EDGE)
          .put("iceServers", new JsonArray(RegistryJson.iceServers(withRelay(List.of())))));
    }).onFailure(ctx::fail);
  }

  /**
   * {@code servers}, then the TURN relay with credentials for a viewer id made for this answer:
   * the tracker has not met the viewer yet (its peer id comes with {@code welcome}), and a fresh
   * id per answer names each credential apart in the relay's log.
   */
  private List<IceServer> withRelay(List<IceServer> servers) {
    if (turn == null) {
      return servers;
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    List<IceServer> all = new ArrayList<>(servers);
    all.add(turn.iceServerFor(VIEWER_ID.encodeToString(id)));
    return all;
  }

  private JsonObject answer(String stream, String url, boolean fallback) {
    JsonObject answer = new JsonObject()
        .put("stream", stream)
        .put("edge", url)
        .put("tracker", trackerUrl.get())
        .put("fallback", fallback);
    JsonObject minted = tokens.mint(stream, !fallback);
    return minted == null ? answer : answer.put("tokens", minted);
  }

  /**
   * Stream ids travel in token path prefixes and swarm names: 1 to {@value #MAX_STREAM_LENGTH} of
   * {@code A-Z a-z 0-9 . _ ~ -}, and not a dot-segment.
   *
   * @return why {@code stream} is refused, or null
   */
  static String checkStream(String stream) {
    if (stream == null || stream.isEmpty() || stream.length() > MAX_STREAM_LENGTH) {
      return "stream must hold 1 to " + MAX_STREAM_LENGTH + " characters";
    }
    for (int i = 0; i < stream.length(); i++) {
      char c = stream.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '~' || c == '-';
      if (!ok) {
        return "stream may only hold A-Z a-z 0-9 . _ ~ -";
      }
    }
    return stream.equals(".") || stream.equals("..") ? "stream must not be . or .." : null;
  }

  /**
   * The edge ids of {@code exclude=ID,ID}: the edges a viewer failed over from, each spelled as
   * {@link EdgeRegistration#validId} requires (never with a comma).
   *
   * @return the ids (none without the parameter), or null when they are not such a list
   */
  static Set<String> excludedEdges(String exclude) {
    if (exclude == null) {
      return Set.of();
    }
    String[] ids = exclude.split(",", -1);
    if (ids.length > MAX_EXCLUDED) {
      return null;
    }
    Set<String> excluded = new HashSet<>();
    for (String id : ids) {
      try {
        excluded.add(EdgeRegistration.validId(id));
      } catch (IllegalArgumentException notAnId) {
        return null;
      }
    }
    return excluded;
  }

  private static HttpServerResponse allowAnyOrigin(HttpServerResponse response) {
    return response.putHeader("Access-Control-Allow-Origin", "*");
  }
}
