package dev.swarmcdn.origin.vod;

import dev.swarmcdn.kit.ops.Observability;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.OriginServer;
import dev.swarmcdn.origin.TestMedia;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An origin on a free port of 127.0.0.1, without live streams, serving a generated clip from
 * {@code MEDIA/clip/}, plus the two ways tests talk to it: an HTTP/1.1 client, and a raw socket for
 * request lines no client would send as written.
 */
final class RunningOrigin implements AutoCloseable {

  final Path mediaRoot;
  final TestMedia.VodClip clip;
  private final Vertx vertx;
  private final OriginServer server;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private RunningOrigin(Path mediaRoot, TestMedia.VodClip clip, Vertx vertx, OriginServer server) {
    this.mediaRoot = mediaRoot;
    this.clip = clip;
    this.vertx = vertx;
    this.server = server;
  }

  static RunningOrigin start(Path tempDir) throws Exception {
    return start(tempDir, null);
  }

  /** @param extraRoutes further routes, as the demo mounts them; may be null */
  static RunningOrigin start(Path tempDir, Consumer<Router> extraRoutes) throws Exception {
    Path media = Files.createDirectories(tempDir.resolve("media"));
    TestMedia.VodClip clip = TestMedia.vodClip(media, "clip");
    OriginConfig config = OriginConfig.defaults()
        .withDirectories(media, tempDir.resolve("data"))
        .withPort(0);
    Vertx vertx = Vertx.vertx();
    OriginServer server = new OriginServer(vertx, config, Observability.create(), extraRoutes)
        .start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new RunningOrigin(media, clip, vertx, server);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  int port() {
    return server.port();
  }

  HttpResponse<byte[]> send(String method, String path, String... headerPairs) throws Exception {
    return client.send(request(method, path, headerPairs), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpClient client() {
    return client;
  }

  HttpRequest request(String method, String path, String... headerPairs) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headerPairs.length > 0) {
      builder.headers(headerPairs);
    }
    return builder.build();
  }

  /**
   * Sends bytes exactly as given and reads the whole answer; the request should ask the server to
   * close the connection, or this waits for the read timeout.
   */
  RawResponse raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return RawResponse.parse(answer.toString(StandardCharsets.ISO_8859_1));
    }
  }

  /** A raw GET of a path as written, with the Host header HTTP/1.1 requires. */
  RawResponse rawGet(String path) throws IOException {
    return raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  /** What came back over a raw socket: status and everything as text. */
  record RawResponse(int status, String head, String body) {
    static RawResponse parse(String text) {
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      return new RawResponse(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1, head, body);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
