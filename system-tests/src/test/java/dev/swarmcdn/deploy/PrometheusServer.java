package dev.swarmcdn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Debian's Prometheus, started with deploy/prometheus/prometheus.yml as the compose file mounts
 * it, except: targets moved where the servers run here, scrapes and rule evaluations every
 * second, the alert rules named by absolute path, storage in a folder of the test's own.
 */
final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final String baseUrl;

  private PrometheusServer(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /**
   * @param target compose address ("edge-a:8081") -> where it is here; a target it has no answer
   *     for is refused, so a server added to the file without a test for it does not go unnoticed
   */
  static PrometheusServer start(Path deployConfig, Path dir, UnaryOperator<String> target) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode config = (ObjectNode) yaml.readTree(deployConfig.toFile());
    ObjectNode global = (ObjectNode) config.path("global");
    global.put("scrape_interval", "1s");
    global.put("evaluation_interval", "1s");
    ArrayNode rules = (ArrayNode) config.path("rule_files");
    for (int i = 0; i < rules.size(); i++) {
      rules.set(i, deployConfig.resolveSibling(rules.get(i).asText()).toAbsolutePath().toString());
    }
    for (JsonNode job : config.path("scrape_configs")) {
      for (JsonNode group : job.path("static_configs")) {
        ArrayNode targets = (ArrayNode) group.path("targets");
        for (int i = 0; i < targets.size(); i++) {
          String local = target.apply(targets.get(i).asText());
          if (local == null) {
            throw new IllegalArgumentException("prometheus.yml target " + targets.get(i).asText() + " is no server here");
          }
          targets.set(i, local);
        }
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("prometheus.yml");
    yaml.writeValue(file.toFile(), config);
    String address = "127.0.0.1:" + ComposeOnLocalhost.freeTcpPort();
    Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=" + address)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    return new PrometheusServer(process, "http://" + address);
  }

  /** GET {@code path} of its HTTP API, parsed (an error's answer too: {@code status}, {@code error}); null without JSON. */
  JsonNode get(String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return response.body().startsWith("{") ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  boolean ready() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An instant query's answer: {@code status} and {@code data.result}, or an error's text. */
  JsonNode query(String promql) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }
}
