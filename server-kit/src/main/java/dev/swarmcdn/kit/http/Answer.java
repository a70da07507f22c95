package dev.swarmcdn.kit.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;

/**
 * What a server answers a GET or HEAD with, for one representation, as RFC 9110 asks: 304 or 412
 * when the preconditions say so (section 13), 206 or 416 for a single byte range (section 14), the
 * whole representation otherwise, and for HEAD exactly the head a GET would get. The origin's
 * {@link RepresentationResponder} and the edge's proxy both decide here; each then writes its own
 * headers (validators, Content-Type, caching) and sends the body its own way.
 *
 * <p>Immutable; {@link #writeHead} puts the status and the framing headers on a response.
 *
 * @param status        the status to send
 * @param first         the first byte of the representation to send
 * @param length        the bytes to send (Content-Length), or -1 while unknown: chunked
 * @param contentRange  Content-Range to send (206, 416), or null
 * @param acceptRanges  whether to say {@code Accept-Ranges: bytes}
 * @param sendsBody     whether body bytes follow the head (false for HEAD, 304, 412, 416, empty)
 */
public record Answer(int status, long first, long length, String contentRange, boolean acceptRanges,
    boolean sendsBody) {

  /**
   * Decides the answer. Preconditions and ranges apply only to a 200 (a stored or upstream error
   * passes as it is). A representation of unknown length (still arriving) is sent whole, since no
   * Content-Range can be written for it yet: RFC 9110 section 14.2 lets a server ignore Range.
   *
   * @param status        the status of the selected representation: 200, or another to pass on
   * @param etag          its ETag with quotes, or null
   * @param lastModified  its Last-Modified field value (an HTTP-date), or null
   * @param length        its length in bytes, or -1 while unknown
   */
  public static Answer decide(HttpMethod method, MultiMap request, int status, String etag,
      String lastModified, long length) {
    boolean head = method == HttpMethod.HEAD;
    if (status != 200) {
      return new Answer(status, 0, length, null, false, !head && length != 0);
    }
    // Parsing a date costs more than the rest of a cache hit: only when a request field compares one.
    long modified = request.contains("If-Modified-Since") || request.contains("If-Unmodified-Since")
        || request.contains("If-Range") ? HttpDates.parse(lastModified).orElse(-1) : -1;
    switch (Preconditions.evaluate(method, request, etag, modified)) {
      case NOT_MODIFIED:
        return new Answer(304, 0, 0, null, false, false);
      case PRECONDITION_FAILED:
        return new Answer(412, 0, 0, null, false, false);
      default:
        break;
    }
    if (length < 0) {
      return new Answer(200, 0, -1, null, false, !head);
    }
    RangeSelection selection = RangeSelection.of(request, etag, modified, length);
    // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete.
    if (selection instanceof RangeSelection.Part part) {
      return new Answer(206, part.first(), part.length(), part.contentRange(), true, !head);
    }
    if (selection instanceof RangeSelection.Unsatisfiable unsatisfiable) {
      return new Answer(416, 0, 0, unsatisfiable.contentRange(), true, false);
    }
    return new Answer(200, 0, length, null, true, !head && length != 0);
  }

  /** Whether the answer sends the representation or a part of it, as opposed to a verdict on it. */
  public boolean carriesRepresentation() {
    return status != 304 && status != 412 && status != 416;
  }

  /** Puts the status and the framing headers on the response; the caller then ends or streams it. */
  public HttpServerResponse writeHead(HttpServerResponse response) {
    response.setStatusCode(status);
    if (acceptRanges) {
      response.putHeader("Accept-Ranges", "bytes");
    }
    if (contentRange != null) {
      response.putHeader("Content-Range", contentRange);
    }
    if (status == 304) {
      // A 304 has no content; a Content-Length on it would describe the representation.
      return response;
    }
    if (length >= 0) {
      response.putHeader("Content-Length", Long.toString(length));
    } else {
      response.setChunked(true);
    }
    return response;
  }
}
