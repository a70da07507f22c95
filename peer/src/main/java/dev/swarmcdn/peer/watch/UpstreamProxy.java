package dev.swarmcdn.peer.watch;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine does not deliver - init segments, keys, other renditions, anything else under the
 * mirrored upstream - passed through over HTTP, streamed. A playlist passed through is rewritten to
 * point at the local server. An upstream that fails or cannot be reached is a 502 with the reason;
 * its 4xx answers (a 404 of a segment gone from the live window) pass through.
 */
final class UpstreamProxy {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);
  /** A playlist larger than this is no playlist a player needs. */
  static final int MAX_PLAYLIST_BYTES = 4 << 20;
  private static final List<String> REQUEST_HEADERS = List.of("Range", "If-None-Match", "If-Modified-Since",
      "Accept", "User-Agent");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Length", "Content-Range",
      "Accept-Ranges", "Cache-Control", "ETag", "Last-Modified", "Expires");

  private final HttpClient client;

  UpstreamProxy(Vertx vertx, TlsTrust trust) {
    this.client = vertx.createHttpClient(trust.applyTo(new HttpClientOptions().setConnectTimeout(10_000).setIdleTimeout(30)
        .setKeepAlive(true)), new PoolOptions().setHttp1MaxSize(8));
  }

  /**
   * Answers {@code request} with {@code url}'s answer upstream.
   *
   * @param playlist  rewrites a playlist's text (given its upstream URL); null: pass bytes as they are
   */
  void forward(HttpServerRequest request, String url, PlaylistRewrite playlist) {
    HttpServerResponse response = request.response();
    RequestOptions options;
    try {
      options = target(url).setMethod(request.method() == HttpMethod.HEAD ? HttpMethod.HEAD : HttpMethod.GET)
          .setIdleTimeout(15_000);
    } catch (MalformedURLException e) {
      LocalAnswers.error(response, 400, "no URL upstream: " + url);
      return;
    }
    for (String name : REQUEST_HEADERS) {
      String value = request.getHeader(name);
      if (value != null && !(playlist != null && name.equals("Range"))) {
        options.putHeader(name, value);
      }
    }
    client.request(options).compose(upstream -> upstream.send()).onComplete(sent -> {
      if (sent.failed()) {
        LocalAnswers.error(response, 502, "upstream " + url + ": " + sent.cause().getMessage());
        return;
      }
      HttpClientResponse upstream = sent.result();
      if (upstream.statusCode() >= 500) {
        upstream.request().reset();
        LocalAnswers.error(response, 502, "upstream " + url + " answered " + upstream.statusCode());
        return;
      }
      if (playlist != null && upstream.statusCode() == 200 && request.method() != HttpMethod.HEAD) {
        rewritten(upstream, response, url, playlist);
        return;
      }
      if (upstream.statusCode() >= 400) {
        LOG.info("upstream {} answered {}", url, upstream.statusCode());
      }
      response.setStatusCode(upstream.statusCode());
      copyHeaders(upstream, response);
      upstream.pipeTo(response).onFailure(e -> response.reset());
    });
  }

  private void rewritten(HttpClientResponse upstream, HttpServerResponse response, String url, PlaylistRewrite playlist) {
    String length = upstream.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_PLAYLIST_BYTES) {
      upstream.request().reset();
      LocalAnswers.error(response, 502, "upstream " + url + ": a playlist of " + length + " bytes");
      return;
    }
    upstream.body().onComplete(body -> {
      if (body.failed()) {
        LocalAnswers.error(response, 502, "upstream " + url + ": " + body.cause().getMessage());
        return;
      }
      String text = body.result().toString(StandardCharsets.UTF_8);
      if (!text.startsWith("#EXTM3U")) {
        LocalAnswers.error(response, 502, "upstream " + url + " sent no HLS playlist");
        return;
      }
      LocalAnswers.playlist(response, playlist.apply(text, url));
    });
  }

  /** Host, port and the path exactly as the local player wrote it (java.net.URL re-encodes nothing). */
  private static RequestOptions target(String url) throws MalformedURLException {
    URL parsed = new URL(url);
    boolean tls = parsed.getProtocol().equals("https");
    return new RequestOptions().setSsl(tls).setHost(parsed.getHost())
        .setPort(parsed.getPort() >= 0 ? parsed.getPort() : parsed.getDefaultPort()).setURI(parsed.getFile());
  }

  private static void copyHeaders(HttpClientResponse upstream, HttpServerResponse response) {
    for (String name : RESPONSE_HEADERS) {
      String value = upstream.getHeader(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
  }

  Future<Void> close() {
    return client.close();
  }

  /** Rewrites a playlist's text loaded from a URL. */
  @FunctionalInterface
  interface PlaylistRewrite {
    String apply(String text, String upstreamUrl);
  }

}
