package dev.swarmcdn.peer.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's Prometheus {@code /metrics}, read once, for tests to look samples up in. */
public record Scrape(String text) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Reads {@code baseUrl/metrics}. */
  public static Scrape of(String baseUrl) throws Exception {
    return new Scrape(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The value of the sample whose name and labels match {@code regex} (labels in Prometheus order), 0 when absent. */
  public double value(String regex) {
    Matcher match = Pattern.compile("(?m)^" + regex + " ([0-9.eE+]+)$").matcher(text);
    return match.find() ? Double.parseDouble(match.group(1)) : 0;
  }
}
