package dev.swarmcdn.edge.security;

import dev.swarmcdn.protocol.access.AccessToken;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a request is authorised, when the operator set an access secret: before any lookup or
 * upstream fetch, the request must carry a valid {@link AccessToken} for its path: as a leading
 * path segment {@code /~t/TOKEN/...}, as the query parameter {@code token}, or in the header
 * {@link ForwardingToken#HEADER} (what another edge of the set sends when it forwards a miss to this
 * one, the owner). The path form exists because players resolve a playlist's relative segment URIs
 * against the playlist's path, so a token in the path travels to every segment by itself, and one in
 * the query would not.
 *
 * <p>The origin's public key document ({@link PublicKeyDocument#PATH}) passes without a token: a
 * public key is no secret, every viewer needs it to check peers' bytes, and a viewer's token names
 * its stream's folder, not the key's; refusing it would send every viewer of a signed stream to
 * HTTP for every segment.
 *
 * <p>Refusals are 403 with the reason in the body and in {@code X-Access-Refused}. The token never
 * reaches the cache key: the path form is stripped here ({@link RequestPath}), the query form is an
 * ignored cache-key parameter ({@link #QUERY_PARAMETER}), and headers are never part of it.
 */
public final class TokenGate implements Handler<RoutingContext> {

  /** The query parameter a token may travel in; never part of a cache key while the gate is on. */
  public static final String QUERY_PARAMETER = "token";

  private static final String PATH_MARK = "/~t/";

  private final byte[] secret;
  private final LongSupplier nowSeconds;
  private final Map<AccessToken.Refusal, Counter> refused = new EnumMap<>(AccessToken.Refusal.class);

  public TokenGate(byte[] secret, LongSupplier nowSeconds, MeterRegistry registry) {
    this.secret = secret.clone();
    this.nowSeconds = nowSeconds;
    for (AccessToken.Refusal refusal : AccessToken.Refusal.values()) {
      refused.put(refusal, Counter.builder("edge_access_refused_total")
          .tag("reason", refusal.name().toLowerCase(Locale.ROOT)).register(registry));
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    String rawPath = ctx.request().path();
    String token;
    String path;
    if (rawPath.startsWith(PATH_MARK)) {
      int end = rawPath.indexOf('/', PATH_MARK.length());
      if (end < 0) {
        refuse(ctx, AccessToken.Refusal.MALFORMED);
        return;
      }
      token = rawPath.substring(PATH_MARK.length(), end);
      path = rawPath.substring(end);
    } else {
      token = ctx.request().getParam(QUERY_PARAMETER);
      if (token == null) {
        token = ctx.request().getHeader(ForwardingToken.HEADER);
      }
      path = rawPath;
    }
    AccessToken.Check check = AccessToken.verify(token, secret, path, nowSeconds.getAsLong());
    if (!check.granted() && !PublicKeyDocument.PATH.equals(path)) {
      refuse(ctx, check.refusal());
      return;
    }
    RequestPath.rewrite(ctx, path);
    ctx.next();
  }

  private void refuse(RoutingContext ctx, AccessToken.Refusal refusal) {
    refused.get(refusal).increment();
    ctx.response().setStatusCode(403)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Access-Refused", refusal.name().toLowerCase(Locale.ROOT))
        .end(refusal.reason() + "\n");
  }
}
