package dev.swarmcdn.kit.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web player (its demo page and the player.js / player.mjs / core.mjs bundles) at
 * {@value #PATH}, from the class-path resources under {@code player/} that the web-player jar
 * brings; where that jar is absent, 404. Each file is read once, on a worker, and kept with its
 * gzipped form: sent gzipped to a browser that accepts it ({@code Vary: Accept-Encoding}), with a
 * strong ETag, and {@code Cache-Control: no-cache} - the bundles change with every build under the
 * same names, so a browser revalidates, and an unchanged bundle costs a 304. GET and HEAD only,
 * answered as RFC 9110 asks ({@link RepresentationResponder}).
 */
public final class PlayerPage {

  public static final String PATH = "/player/";
  private static final String CACHE_CONTROL = "no-cache";
  /** One file name, nothing that climbs or nests. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ClassLoader resources;
  private final Map<String, Future<Optional<PlayerAsset>>> assets = new ConcurrentHashMap<>();
  private final RepresentationResponder responder = new RepresentationResponder();

  PlayerPage(ClassLoader resources) {
    this.resources = resources;
  }

  public static void mount(Router router) {
    PlayerPage page = new PlayerPage(PlayerPage.class.getClassLoader());
    router.route(PATH + "*").handler(page::handle);
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").putHeader("Content-Length", "0").end();
      return;
    }
    String name = request.path().substring(PATH.length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    String type = PlayerAsset.typeOf(name);
    if (type == null || !NAME.matcher(name).matches()) {
      notFound(request);
      return;
    }
    String resource = "player/" + name;
    String key = name;
    assets.computeIfAbsent(key, ignored -> ctx.vertx().executeBlocking(() -> load(resource, type)))
        .onComplete(loaded -> {
          if (loaded.failed() || loaded.result().isEmpty()) {
            // Only the player's files stay: a name asked for that is none of them is not kept.
            assets.remove(key);
            notFound(request);
          } else {
            PlayerAsset asset = loaded.result().get();
            if (asset.compressed()) {
              request.response().putHeader("Vary", "Accept-Encoding");
            }
            boolean gzip = acceptsGzip(request.getHeader("Accept-Encoding"));
            if (gzip && asset.compressed()) {
              request.response().putHeader("Content-Encoding", "gzip");
            }
            responder.respond(request, asset.representation(gzip, CACHE_CONTROL));
          }
        });
  }

  private Optional<PlayerAsset> load(String resource, String type) {
    try (InputStream in = resources.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(PlayerAsset.of(type, in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code gzip} (or {@code *}) is acceptable: listed, and not with q=0 (RFC 9110 section 12.5.3). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim();
      if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
        boolean refused = false;
        for (int i = 1; i < parts.length; i++) {
          String parameter = parts[i].trim().replace(" ", "");
          if (parameter.matches("(?i)q=0(\\.0{0,3})?")) {
            refused = true;
          }
        }
        return !refused;
      }
    }
    return false;
  }

  private static void notFound(HttpServerRequest request) {
    request.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end("not found\n");
  }
}
