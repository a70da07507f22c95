package dev.swarmcdn.kit.http.framing;

import dev.swarmcdn.kit.http.framing.MalformedRequest.Reason;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's request decoder, refusing the heads RFC 9112 says a server must refuse. Throwing from
 * inside the decoder is what makes this safe: Netty then hands the head on as invalid (Vert.x's
 * invalid-request handler answers it) and discards every byte that follows on the connection, so a
 * body meant to be read as a second request ("smuggled") never is.
 *
 * <p>Netty on its own drops Content-Length when Transfer-Encoding is chunked and goes on, which RFC
 * 9112 6.1 allows only if the connection is closed afterwards; it was kept open. Duplicate Hosts,
 * HTTP/1.1 without Host and bad %-escapes passed the decoder and reached the router, where the last
 * two threw and logged a stack trace per request.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new MalformedRequest(Reason.LENGTH_AND_CHUNKED);
  }

  /** Called by the decoder once per head, when all its fields are in: the place to judge them. */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (message instanceof HttpRequest request) {
      check(request);
    }
    return super.isContentAlwaysEmpty(message);
  }

  private static void check(HttpRequest request) {
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      throw new MalformedRequest(Reason.DUPLICATE_HOST);
    }
    if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      throw new MalformedRequest(Reason.MISSING_HOST);
    }
    if (!wellEscaped(request.uri())) {
      throw new MalformedRequest(Reason.BAD_ESCAPE);
    }
  }

  /** Every % is followed by two hex digits (RFC 3986 2.1), anywhere in the request target. */
  static boolean wellEscaped(String target) {
    for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
      if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
          || Character.digit(target.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
