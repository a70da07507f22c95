import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A thundering herd: N clients ask for one object at the same instant, each on its own
 * connection. Prints "p50_ms max_ms ok" where ok counts complete 2 MB answers.
 * JDK only: run with {@code java Herd.java URL N}.
 */
public class Herd {

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    long expected = args.length > 2 ? Long.parseLong(args[2]) : 2 * 1024 * 1024;
    List<HttpClient> connections = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connections.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<long[]>> answers = new ArrayList<>();
    for (HttpClient client : connections) {
      answers.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          long start = System.nanoTime();
          HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
          long took = System.nanoTime() - start;
          boolean ok = response.statusCode() == 200 && response.body().length == expected;
          return new long[] {took, ok ? 1 : 0};
        } catch (Exception e) {
          return new long[] {Long.MAX_VALUE, 0};
        }
      }, java.util.concurrent.Executors.newCachedThreadPool()));
    }
    go.countDown();
    List<Long> times = new ArrayList<>();
    int ok = 0;
    for (CompletableFuture<long[]> answer : answers) {
      long[] result = answer.get();
      times.add(result[0]);
      ok += (int) result[1];
    }
    Collections.sort(times);
    System.out.printf("%.0f %.0f %d%n", times.get(times.size() / 2) / 1e6,
        times.get(times.size() - 1) / 1e6, ok);
    System.exit(0);
  }
}
