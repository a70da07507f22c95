package dev.swarmcdn.peer.http;

/** An HTTP answer that is not what was asked for: a status other than 200/206, or a short body. */
public class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
