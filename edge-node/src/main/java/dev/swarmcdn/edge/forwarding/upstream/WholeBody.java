package dev.swarmcdn.edge.forwarding.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;

/**
 * Reads a paused upstream response's body whole, up to a bound: for bodies that must be checked
 * before anyone sees a byte of them (a segment from another edge, the origin's key document).
 */
public final class WholeBody {

  private WholeBody() {}

  /**
   * Fails, cutting the exchange, when the body passes {@code maxBytes} or ends short of its
   * Content-Length.
   */
  public static Future<Buffer> read(HttpClientResponse response, long maxBytes) {
    Promise<Buffer> whole = Promise.promise();
    Buffer bytes = Buffer.buffer();
    String declared = response.getHeader("Content-Length");
    response.handler(chunk -> {
      if (bytes.length() + chunk.length() > maxBytes) {
        if (whole.tryFail(new IOException("body larger than " + maxBytes + " bytes"))) {
          response.request().reset();
        }
        return;
      }
      bytes.appendBuffer(chunk);
    });
    response.exceptionHandler(whole::tryFail);
    response.endHandler(ended -> {
      if (declared != null && !declared.trim().equals(Integer.toString(bytes.length()))) {
        whole.tryFail(new IOException("body of " + bytes.length() + " bytes, announced " + declared));
      } else {
        whole.tryComplete(bytes);
      }
    });
    response.resume();
    return whole.future();
  }
}
