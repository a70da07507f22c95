import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The origin of the edge benchmark: serves a 2 MB segment for any path ending in .m4s and a 2 KB
 * playlist for .m3u8, cacheable for 10 minutes; paths under /slow/ answer after 200 ms, like a
 * busy origin. GET /count?path=P tells how often P was asked. JDK only: run with
 * {@code java SlowOrigin.java PORT}.
 */
public class SlowOrigin {

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    byte[] segment = new byte[2 * 1024 * 1024];
    new Random(42).nextBytes(segment);
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n");
    for (int i = 0; text.length() < 2048; i++) {
      text.append("#EXTINF:2.000000,\nseg_").append(String.format("%05d", i)).append(".m4s\n");
    }
    byte[] playlist = text.substring(0, 2048).getBytes(StandardCharsets.US_ASCII);
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(256));
    server.createContext("/count", exchange -> {
      String path = exchange.getRequestURI().getQuery().replaceFirst("^path=", "");
      send(exchange, 200, "text/plain", String.valueOf(counts.getOrDefault(path, new AtomicInteger()).get())
          .getBytes(StandardCharsets.US_ASCII));
    });
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.startsWith("/slow/")) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.getResponseHeaders().add("Cache-Control", "public, max-age=600");
      exchange.getResponseHeaders().add("ETag", "\"" + path.hashCode() + "\"");
      if (path.endsWith(".m3u8")) {
        send(exchange, 200, "application/vnd.apple.mpegurl", playlist);
      } else {
        send(exchange, 200, "video/iso.segment", segment);
      }
    });
    server.start();
    System.out.println("slow origin on 127.0.0.1:" + port);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
