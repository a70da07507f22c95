package dev.swarmcdn.edge;

import dev.swarmcdn.kit.http.HttpDates;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin for edge tests, scripted per path: body, headers, delay before the response
 * head; answers If-None-Match with 304 when the ETag matches, and If-Modified-Since (without
 * If-None-Match) with 304 when the object has not changed since. Counts what it is asked.
 */
final class TestOrigin implements AutoCloseable {

  record Object(byte[] body, MultiMap headers, long delayMs) {}

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Object> objects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> notModified = new ConcurrentHashMap<>();
  final List<MultiMap> requestHeaders = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  TestOrigin() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  TestOrigin put(String path, byte[] body, long delayMs, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    objects.put(path, new Object(body, headers, delayMs));
    return this;
  }

  int requests(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  int notModified(String path) {
    return notModified.getOrDefault(path, new AtomicInteger()).get();
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    requestHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
    Object object = objects.get(path);
    if (object == null) {
      request.response().setStatusCode(404).end("no such object");
      return;
    }
    Runnable respond = () -> {
      String etag = object.headers().get("ETag");
      String ifNoneMatch = request.getHeader("If-None-Match");
      if (etag != null && etag.equals(ifNoneMatch) || ifNoneMatch == null && notModifiedSince(object, request)) {
        notModified.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        request.response().setStatusCode(304).headers().addAll(object.headers());
        request.response().end();
        return;
      }
      request.response().headers().addAll(object.headers());
      request.response().end(Buffer.buffer(object.body()));
    };
    if (object.delayMs() > 0) {
      vertx.setTimer(object.delayMs(), id -> respond.run());
    } else {
      respond.run();
    }
  }

  private static boolean notModifiedSince(Object object, HttpServerRequest request) {
    long lastModified = HttpDates.parse(object.headers().get("Last-Modified")).orElse(-1);
    long since = HttpDates.parse(request.getHeader("If-Modified-Since")).orElse(-1);
    return lastModified >= 0 && since >= lastModified;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
