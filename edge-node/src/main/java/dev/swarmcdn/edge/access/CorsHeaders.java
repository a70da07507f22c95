package dev.swarmcdn.edge.access;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS on every response the edge sends, whoever wrote it: what the upstream said passes through,
 * and the edge's own answers (403 from the token gate, 4xx from the request rules, 502/504, 404)
 * get {@code Access-Control-Allow-Origin: *} too, so a player on another origin can read why it was
 * refused. {@code Access-Control-Expose-Headers} always names what a player reads: lengths and
 * ranges for progress, validators and age for caching, hit or miss, the refusal reason.
 *
 * <p>Set just before the head is written, so it covers responses written anywhere after it. Everything
 * the edge serves is public or guarded by a token in the URL, never by cookies: {@code *} is right.
 */
public final class CorsHeaders implements Handler<RoutingContext> {

  private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  private static final String EXPOSE = "Access-Control-Expose-Headers";
  private static final String EDGE_EXPOSED =
      "Content-Length, Content-Range, ETag, Last-Modified, Age, Date, X-Cache, X-Access-Refused";

  /** Merges of an upstream's list with ours; an edge sees few distinct lists (usually one per origin). */
  private volatile Merged lastMerged = new Merged(EDGE_EXPOSED, EDGE_EXPOSED);

  private record Merged(String upstream, String result) {}

  @Override
  public void handle(RoutingContext ctx) {
    ctx.addHeadersEndHandler(ignored -> {
      MultiMap headers = ctx.response().headers();
      if (!headers.contains(ALLOW_ORIGIN)) {
        headers.set(ALLOW_ORIGIN, "*");
      }
      headers.set(EXPOSE, exposed(headers.getAll(EXPOSE)));
    });
    ctx.next();
  }

  private String exposed(List<String> upstream) {
    if (upstream.isEmpty()) {
      return EDGE_EXPOSED;
    }
    String given = String.join(", ", upstream);
    Merged last = lastMerged;
    if (last.upstream().equals(given)) {
      return last.result();
    }
    String result = merge(given);
    lastMerged = new Merged(given, result);
    return result;
  }

  /** The upstream's names first, in its order, then ours that it lacks; names compare case-blind. */
  private static String merge(String upstream) {
    Set<String> seen = new LinkedHashSet<>();
    StringBuilder merged = new StringBuilder();
    for (String list : new String[] {upstream, EDGE_EXPOSED}) {
      for (String name : list.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty() && seen.add(trimmed.toLowerCase(Locale.ROOT))) {
          merged.append(merged.length() == 0 ? "" : ", ").append(trimmed);
        }
      }
    }
    return merged.toString();
  }
}
