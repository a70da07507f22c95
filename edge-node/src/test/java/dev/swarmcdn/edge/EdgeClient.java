package dev.swarmcdn.edge;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** A real HTTP client for edge tests, with enough connections for a herd. */
final class EdgeClient implements AutoCloseable {

  record Response(int status, MultiMap headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(
      new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(400));
  private final String base;

  EdgeClient(String base) {
    this.base = base;
  }

  Future<Response> send(HttpMethod method, String path, String... headerPairs) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(base + path);
    for (int i = 0; i < headerPairs.length; i += 2) {
      options.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    // body() must be asked for in the same callback that receives the response: a data chunk
    // arriving before it would be dropped.
    return client.request(options)
        .compose(request -> request.send()
            .compose(response -> response.body()
                .map((Buffer body) -> new Response(response.statusCode(), response.headers(), body.getBytes()))));
  }

  Response get(String path, String... headerPairs) throws Exception {
    return send(HttpMethod.GET, path, headerPairs).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
