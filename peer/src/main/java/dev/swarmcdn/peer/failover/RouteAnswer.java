package dev.swarmcdn.peer.failover;

import io.vertx.core.json.JsonObject;

/**
 * What the tracker's {@code /route} said (docs/PROTOCOL.md, "Route"): the edge to load from, its
 * id, the tracker, the tokens and the edge's ICE servers.
 *
 * @param edge          the edge's base URL, without a trailing {@code /}
 * @param edgeId        the edge's id, or null when the answer is the origin (fallback)
 * @param tracker       the tracker's WebSocket URL, or null
 * @param trackerToken  the join token, or null
 * @param edgeToken     the edge's access token, or null
 * @param iceServers    the answer's {@code iceServers} as JSON, or null
 * @param fallback      the answer is the origin: no edge is in rotation
 * @param reason        why it fell back, or null
 */
public record RouteAnswer(String edge, String edgeId, String tracker, String trackerToken, String edgeToken,
    Object iceServers, boolean fallback, String reason) {

  /** Reads an answer; throws when it names no edge. */
  public static RouteAnswer parse(JsonObject answer, String askedAt) {
    String edge = answer.getValue("edge") instanceof String url ? url : null;
    if (edge == null) {
      throw new IllegalStateException(askedAt + " named no edge");
    }
    JsonObject tokens = answer.getValue("tokens") instanceof JsonObject t ? t : new JsonObject();
    return new RouteAnswer(edge.replaceFirst("/$", ""), text(answer, "edgeId"), text(answer, "tracker"),
        text(tokens, "tracker"), text(tokens, "edge"), answer.getValue("iceServers"),
        Boolean.TRUE.equals(answer.getValue("fallback")), text(answer, "reason"));
  }

  /** Where the stream's paths go: the edge, then its access token as a path prefix ({@code /~t/TOKEN}). */
  public String base() {
    return edge + (edgeToken == null ? "" : "/~t/" + edgeToken);
  }

  private static String text(JsonObject object, String key) {
    return object.getValue(key) instanceof String value ? value : null;
  }
}
