package dev.swarmcdn.kit.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.FileNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a GET or HEAD with a {@link Representation} as RFC 9110 asks: validators and caching
 * headers on every answer, 304 or 412 when the preconditions say so, 206 or 416 for a single byte
 * range, and for HEAD exactly the headers a GET would get. File bodies go out with sendfile and are
 * never read into the heap.
 */
public final class RepresentationResponder {

  private static final Logger LOG = LoggerFactory.getLogger(RepresentationResponder.class);

  public void respond(HttpServerRequest request, Representation representation) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      // The client left while the representation was being prepared (e.g. on a worker).
      return;
    }
    String lastModified = representation.lastModified() >= 0
        ? HttpDates.format(representation.lastModified()) : null;
    putValidators(response, representation, lastModified);
    Answer answer = Answer.decide(request.method(), request.headers(), 200, representation.etag(),
        lastModified, representation.length());
    if (answer.carriesRepresentation()) {
      response.putHeader("Content-Type", representation.contentType());
    }
    answer.writeHead(response);
    if (!answer.sendsBody()) {
      response.end();
    } else if (representation.file() != null) {
      response.sendFile(representation.file().toString(), answer.first(), answer.length())
          .onFailure(error -> fileFailed(response, representation, error));
    } else {
      response.end(representation.bytes().slice((int) answer.first(),
          (int) (answer.first() + answer.length())));
    }
  }

  /** What a 304 must repeat of the 200 (RFC 9110 section 15.4.5), so caches can refresh them. */
  private static void putValidators(HttpServerResponse response, Representation representation,
      String lastModified) {
    if (!response.headers().contains("Date")) {
      response.putHeader("Date", HttpDates.format(System.currentTimeMillis()));
    }
    if (representation.etag() != null) {
      response.putHeader("ETag", representation.etag());
    }
    if (lastModified != null) {
      response.putHeader("Last-Modified", lastModified);
    }
    if (representation.cacheControl() != null) {
      response.putHeader("Cache-Control", representation.cacheControl());
    }
  }

  /**
   * The file went away or broke between lookup and send. Before the head is out there is still a
   * clean answer; after it, only closing the connection tells the client the body is incomplete.
   */
  private static void fileFailed(HttpServerResponse response, Representation representation,
      Throwable error) {
    if (response.headWritten()) {
      LOG.warn("sending {} failed midway: {}", representation.file(), error.toString());
      response.reset();
      return;
    }
    boolean gone = error instanceof FileNotFoundException
        || error.getCause() instanceof FileNotFoundException;
    if (!gone) {
      LOG.error("cannot send {}", representation.file(), error);
    }
    response.headers().clear();
    response.setStatusCode(gone ? 404 : 500)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(gone ? "not found\n" : "internal error\n");
  }
}
