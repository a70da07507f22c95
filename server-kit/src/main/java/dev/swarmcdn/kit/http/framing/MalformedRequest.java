package dev.swarmcdn.kit.http.framing;

/**
 * A request head that RFC 9112 says must be refused with 400 and its connection closed. It carries
 * a short reason for the one-line answer and the counter, and no stack trace: it is the client's
 * mistake (or attack), and a trace per request would let anyone fill the log.
 */
public final class MalformedRequest extends RuntimeException {

  /** Why a head is refused: the tag of {@code http_server_malformed_requests_total}. */
  public enum Reason {
    /** Content-Length and Transfer-Encoding together (RFC 9112 6.1): the shape of request smuggling. */
    LENGTH_AND_CHUNKED("Content-Length with Transfer-Encoding"),
    /** More than one Host field (RFC 9112 3.2); the edge routes by host. */
    DUPLICATE_HOST("more than one Host"),
    /** HTTP/1.1 without Host (RFC 9112 3.2). */
    MISSING_HOST("no Host"),
    /** A % not followed by two hex digits (RFC 3986 2.1). */
    BAD_ESCAPE("bad %-escape in the request target");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Reason reason;

  public MalformedRequest(Reason reason) {
    super(reason.text(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
