package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.http.MediaTypes;
import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.kit.http.RepresentationResponder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** How the local server answers: playlists, segment bytes (with ranges), and errors that say why. */
final class LocalAnswers {
  static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
  private static final RepresentationResponder RESPONDER = new RepresentationResponder();

  private LocalAnswers() {
  }

  /** A playlist: never cached, a live one changes every target duration. */
  static void playlist(HttpServerResponse response, String text) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(200).putHeader("Content-Type", PLAYLIST_TYPE).putHeader("Cache-Control", "no-cache")
        .end(text);
  }

  /** Segment bytes, with byte ranges and HEAD as the edge answers them. */
  static void segment(HttpServerRequest request, String path, byte[] data) {
    if (request.response().closed() || request.response().ended()) {
      return;
    }
    RESPONDER.respond(request, Representation.ofBytes(Buffer.buffer(data), -1, null,
        MediaTypes.forName(path.substring(path.lastIndexOf('/') + 1)), "max-age=60"));
  }

  /** An error the user can act on: its status and the reason, as JSON. */
  static void error(HttpServerResponse response, int status, String reason) {
    if (response.closed() || response.ended() || response.headWritten()) {
      if (!response.ended() && !response.closed()) {
        response.reset();
      }
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", reason).encode());
  }
}
