package dev.swarmcdn.kit.http.framing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.EnumMap;
import java.util.Map;

/**
 * The HTTP/1.1 framing rules every server of ours enforces (origin, edge, tracker): heads RFC 9112
 * says to refuse get 400, one short line, and a closed connection. Install {@link #guard} as (part
 * of) the server's connection handler, and {@link #answer} in its invalid-request handler.
 *
 * <p>Counted by reason ({@code http_server_malformed_requests_total}), never logged: each of these
 * costs the sender one request, and a log line (let alone a stack trace) per request would let it
 * fill the disk.
 */
public final class RequestFraming {

  /** Vert.x's name for the request decoder of an HTTP/1.x server connection. */
  static final String DECODER = "httpDecoder";

  private final HttpServerOptions options;
  private final Map<MalformedRequest.Reason, Counter> refused = new EnumMap<>(MalformedRequest.Reason.class);

  /** @param options the server's own, which Vert.x's decoder reads its limits from */
  public RequestFraming(HttpServerOptions options, MeterRegistry registry) {
    // With cleartext HTTP/2 on, Vert.x reads the first bytes to tell the protocols apart before it
    // reports the connection: the first head would be decoded by the lenient decoder.
    if (options.isHttp2ClearTextEnabled()) {
      throw new IllegalArgumentException("strict request framing needs cleartext HTTP/2 off");
    }
    this.options = options;
    for (MalformedRequest.Reason reason : MalformedRequest.Reason.values()) {
      refused.put(reason, Counter.builder("http.server.malformed.requests")
          .description("Requests refused with 400 and a closed connection for breaking HTTP/1.1 framing rules")
          .tag("reason", reason.tag()).register(registry));
    }
  }

  /**
   * For {@code HttpServer.connectionHandler}: swaps the connection's request decoder for the strict
   * one. Vert.x calls it as it sets the connection up, before the first read (HTTP/1.1 only).
   */
  public void guard(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get(DECODER) != null) {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    }
  }

  /**
   * Answers a request whose head the strict decoder refused, and tells whether it did; others are
   * left to the caller. The connection closes after the answer: nothing read after a refused head
   * can be trusted to start a request.
   */
  public boolean answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (!(cause instanceof MalformedRequest malformed)) {
      return false;
    }
    refused.get(malformed.reason()).increment();
    request.response()
        .setStatusCode(400)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", "close")
        .end("bad request: " + malformed.reason().text() + "\n")
        .onComplete(ended -> request.connection().close());
    return true;
  }

  /** An invalid-request handler: ours answered by {@link #answer}, the rest as Vert.x does. */
  public Handler<HttpServerRequest> invalidRequests() {
    return invalidRequests(HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER);
  }

  /** An invalid-request handler: ours answered by {@link #answer}, the rest by {@code fallback}. */
  public Handler<HttpServerRequest> invalidRequests(Handler<HttpServerRequest> fallback) {
    return request -> {
      if (!answer(request)) {
        fallback.handle(request);
      }
    };
  }
}
