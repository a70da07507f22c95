package dev.swarmcdn.kit.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a GET or HEAD with a {@link Representation}.
 *
 * <p>TODO(origin issue): conditional requests (304), single ranges (206/416), HEAD without body.
 */
public final class RepresentationResponder {

  public void respond(HttpServerRequest request, Representation representation) {
    HttpServerResponse response = request.response();
    response.putHeader("Content-Type", representation.contentType());
    if (representation.etag() != null) {
      response.putHeader("ETag", representation.etag());
    }
    if (representation.cacheControl() != null) {
      response.putHeader("Cache-Control", representation.cacheControl());
    }
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", Long.toString(representation.length())).end();
    } else if (representation.file() != null) {
      response.sendFile(representation.file().toString(), 0, representation.length());
    } else {
      response.end(representation.bytes());
    }
  }
}
