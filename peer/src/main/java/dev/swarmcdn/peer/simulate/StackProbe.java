package dev.swarmcdn.peer.simulate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the benchmark reads of the stack it runs against: each server's /metrics, and segments from the edge. */
final class StackProbe {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String origin;
  private final String edge;
  private final String tracker;

  /** Base URLs, http://HOST:PORT. */
  StackProbe(String origin, String edge, String tracker) {
    this.origin = origin;
    this.edge = edge;
    this.tracker = tracker;
  }

  /** The three servers' metrics at one moment. */
  record Scrape(PrometheusText origin, PrometheusText edge, PrometheusText tracker) {
  }

  Scrape scrape() throws IOException, InterruptedException {
    return new Scrape(metrics(origin), metrics(edge), metrics(tracker));
  }

  /** Peers connected to the tracker now. */
  double trackerPeers() throws IOException, InterruptedException {
    return metrics(tracker).sum("tracker_peers_connected");
  }

  /** A segment as the edge serves it, or null when it does not answer 200. */
  byte[] fromEdge(String url) {
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private PrometheusText metrics(String base) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(base + "/metrics answered " + response.statusCode());
    }
    return PrometheusText.parse(response.body());
  }
}
