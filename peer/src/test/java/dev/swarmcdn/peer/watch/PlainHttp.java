package dev.swarmcdn.peer.watch;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** HTTP as a plain local player (ffplay, VLC) speaks it, for the desktop peer's tests. */
public final class PlainHttp {
  private PlainHttp() {
  }

  /** An answer as a local player sees it. */
  public record Got(int status, String contentType, byte[] body) {
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** HTTP as a plain player speaks it: the path sent as written. */
  public static Got request(String method, String url, String range) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(20_000);
    connection.setRequestMethod(method);
    if (range != null) {
      connection.setRequestProperty("Range", range);
    }
    if (method.equals("POST")) {
      connection.setDoOutput(true);
      connection.getOutputStream().write('x');
    }
    int status = connection.getResponseCode();
    try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      return new Got(status, connection.getContentType(), body == null ? new byte[0] : body.readAllBytes());
    } finally {
      connection.disconnect();
    }
  }

  public static Got get(String url) throws Exception {
    return request("GET", url, null);
  }

}
