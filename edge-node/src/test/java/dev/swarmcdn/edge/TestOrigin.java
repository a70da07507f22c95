package dev.swarmcdn.edge;

import dev.swarmcdn.kit.http.HttpDates;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import dev.swarmcdn.origin.integrity.IntegrityKeys;
import dev.swarmcdn.origin.integrity.ManifestSigner;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
 *
 * <p>Like the real origin it signs: every object but playlists is listed in a signed manifest
 * {@code FOLDER/index.integrity.json} (of the playlist {@code FOLDER/index.m3u8}), with its key at
 * {@code /keys/integrity.json}, so edges can check what they get from each other.
 */
final class TestOrigin implements AutoCloseable {

  record Object(byte[] body, MultiMap headers, long delayMs) {}

  private static final String MANIFEST = ".integrity.json";

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Object> objects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> notModified = new ConcurrentHashMap<>();
  final List<MultiMap> requestHeaders = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final Path keyFolder = Files.createTempDirectory("test-origin-key");
  private final IntegrityKeys keys = IntegrityKeys.loadOrCreate(keyFolder.resolve("integrity.key"));
  private volatile String manifestCacheControl = "public, max-age=1";

  TestOrigin() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    objects.put("/keys/integrity.json", new Object(keys.publicKey().toJson(),
        MultiMap.caseInsensitiveMultiMap().add("Cache-Control", "public, max-age=300"), 0));
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
    if (!path.endsWith(".m3u8") && !path.endsWith(MANIFEST) && !path.startsWith("/keys/")) {
      sign(path.substring(0, path.lastIndexOf('/') + 1));
    }
    return this;
  }

  /** Cache-Control of the manifests signed from now on (default {@code public, max-age=1}). */
  TestOrigin manifestCacheControl(String value) {
    manifestCacheControl = value;
    return this;
  }

  /** The key that signs the manifests: what a test's forged manifest is not signed with. */
  IntegrityKeys keys() {
    return keys;
  }

  /** Lists every object of {@code folder} (but playlists and manifests) in its signed manifest. */
  private synchronized void sign(String folder) {
    List<ManifestEntry> entries = new ArrayList<>();
    objects.entrySet().stream()
        .filter(entry -> entry.getKey().startsWith(folder) && entry.getKey().indexOf('/', folder.length()) < 0)
        .filter(entry -> !entry.getKey().endsWith(".m3u8") && !entry.getKey().endsWith(MANIFEST))
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> entries.add(new ManifestEntry(entry.getKey().substring(folder.length()),
            entry.getValue().body().length, sha256(entry.getValue().body()))));
    byte[] manifest = IntegrityManifestCodec.encode(new ManifestSigner(keys).sign(
        new ManifestContent(folder + "index.m3u8", 0, List.of(), entries)));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Cache-Control", manifestCacheControl)
        .add("Content-Type", "application/json");
    objects.put(folder + "index" + MANIFEST, new Object(manifest, headers, 0));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
