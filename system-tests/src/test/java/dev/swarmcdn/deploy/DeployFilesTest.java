package dev.swarmcdn.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.swarmcdn.chaos.PartProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ checked on a machine without a Docker engine (CI's and ours): the image is not built and
 * compose does not run here, so this test does what can be done without them (docs/OPERATIONS.md).
 * <ul>
 *   <li>The files: compose.yaml parses and refuses to start without the operator's secrets;
 *       {@code promtool check config} and {@code check rules} pass; the systemd units pass
 *       {@code systemd-analyze verify} (their {@code ExecStart} pointed at this checkout's
 *       {@code cdn}) and every {@code CDN_} setting of theirs and of their example files is
 *       accepted by the real launcher; Grafana's provisioning names the dashboard's data source.
 *   <li>The processes: origin, tracker and both edges run as the compose file describes them
 *       (command and environment; ports, hosts and volumes moved to 127.0.0.1 and a temporary
 *       folder; the origin's ladder made cheap through its {@code CDN_ORIGIN_*} variables), two
 *       virtual viewers ({@code cdn peer simulate --route}) watch through them, and Debian's
 *       Prometheus scrapes them with deploy/prometheus. Every query of the dashboard then returns
 *       a number, and every alert rule evaluates without error.
 * </ul>
 * Without prometheus or systemd-analyze (scripts/install-deps installs them) it is skipped, except
 * in CI (variable {@code CI} set), where it fails.
 */
class DeployFilesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = REPO.resolve("deploy");
  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** What an operator puts in deploy/.env; fresh values, nothing committed. */
  private static Map<String, String> operatorEnv() {
    return Map.of("SWARMCDN_EDGE_SECRET", UUID.randomUUID().toString(), "SWARMCDN_JOIN_SECRET",
        UUID.randomUUID().toString(), "SWARMCDN_PUBLIC_HOST", "127.0.0.1", "GRAFANA_ADMIN_PASSWORD",
        UUID.randomUUID().toString());
  }

  @Test
  void composeRefusesToStartWithoutTheOperatorsSecrets() throws Exception {
    for (String variable : operatorEnv().keySet()) {
      Map<String, String> partial = new HashMap<>(operatorEnv());
      partial.remove(variable);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> ComposeFile.read(DEPLOY.resolve("compose.yaml"), partial));
      assertTrue(refused.getMessage().contains(variable), refused.getMessage());
    }
    ComposeFile compose = ComposeFile.read(DEPLOY.resolve("compose.yaml"), operatorEnv());
    assertEquals(List.of("origin", "tracker", "edge-a", "edge-b", "prometheus", "grafana"), compose.services());
    assertEquals(operatorEnv().get("SWARMCDN_EDGE_SECRET").length(),
        compose.environment("tracker").get("CDN_TRACKER_EDGE_SECRET").length());
  }

  @Test
  void prometheusConfigAndRulesPassPromtool() throws Exception {
    requireTool(PrometheusServer.PROMTOOL);
    Path prometheus = DEPLOY.resolve("prometheus");
    assertEquals(0, run(List.of(PrometheusServer.PROMTOOL.toString(), "check", "config",
        prometheus.resolve("prometheus.yml").toString())), "promtool check config");
    assertEquals(0, run(List.of(PrometheusServer.PROMTOOL.toString(), "check", "rules",
        prometheus.resolve("alerts.yml").toString())), "promtool check rules");
  }

  @Test
  void systemdUnitsVerifyAndTheirSettingsAreTheLaunchers() throws Exception {
    requireTool(SYSTEMD_ANALYZE);
    Path units = dir.resolve("units");
    Files.createDirectories(units);
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("systemd"))) {
      for (Path unit : files.filter(f -> f.toString().endsWith(".service")).sorted().toList()) {
        Files.writeString(units.resolve(unit.getFileName()),
            Files.readString(unit).replace("/opt/swarmcdn/cdn", REPO.resolve("cdn").toString()));
        names.add(unit.getFileName().toString().replace("@.service", "@a.service"));
      }
    }
    assertEquals(List.of("cdn-edge@a.service", "cdn-origin.service", "cdn-tracker.service"), names);
    List<String> verify = new ArrayList<>(List.of(SYSTEMD_ANALYZE.toString(), "verify"));
    verify.addAll(names);
    Path output = dir.resolve("verify.txt");
    assertEquals(0, run(verify, units, output), Files.readString(output));
    assertEquals("", Files.readString(output).strip(), "systemd-analyze verify has remarks");

    // Each unit's settings with its example files, as systemd would hand them over; the launcher
    // refuses an unknown CDN_ variable or a bad value before anything starts.
    Map<String, List<String>> examples = Map.of("cdn-origin.service", List.of("origin.env.example"),
        "cdn-tracker.service", List.of("tracker.env.example"),
        "cdn-edge@.service", List.of("edge.env.example", "edge-a.env.example"));
    for (Map.Entry<String, List<String>> unit : examples.entrySet()) {
      Map<String, String> environment = SystemdUnit.environment(DEPLOY.resolve("systemd").resolve(unit.getKey()), "a");
      for (String example : unit.getValue()) {
        environment.putAll(SystemdUnit.environmentFile(DEPLOY.resolve("systemd").resolve(example)));
      }
      String command = SystemdUnit.command(DEPLOY.resolve("systemd").resolve(unit.getKey()));
      List<String> help = new ArrayList<>(PartProcess.cdnCommand(List.of(command, "--help")));
      Path out = dir.resolve(command + "-help.txt");
      assertEquals(0, run(help, REPO, out, environment), unit.getKey() + ": " + Files.readString(out));
    }
  }

  @Test
  void grafanaProvisionsTheDashboardsDataSource() throws Exception {
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/swarmcdn.json").toFile());
    JsonNode sources = new ObjectMapper(new YAMLFactory())
        .readTree(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml").toFile());
    String uid = sources.path("datasources").get(0).path("uid").asText();
    assertEquals("http://prometheus:9090", sources.path("datasources").get(0).path("url").asText());
    assertFalse(dashboard.path("panels").isEmpty());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        assertEquals(uid, target.path("datasource").path("uid").asText(), panel.path("title").asText());
      }
    }
    JsonNode provider = new ObjectMapper(new YAMLFactory())
        .readTree(DEPLOY.resolve("grafana/provisioning/dashboards/swarmcdn.yml").toFile());
    String path = provider.path("providers").get(0).path("options").path("path").asText();
    ComposeFile compose = ComposeFile.read(DEPLOY.resolve("compose.yaml"), operatorEnv());
    assertTrue(compose.service("grafana").path("volumes").toString().contains("./grafana/dashboards:" + path + ":ro"),
        "compose mounts the dashboards where the provider reads them");
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void theComposeServersFeedEveryDashboardQueryAndAlertRule() throws Exception {
    requireTool(PrometheusServer.BINARY);
    ComposeFile compose = ComposeFile.read(DEPLOY.resolve("compose.yaml"), operatorEnv());
    // Overrides by the servers' own variables, which compose.yaml leaves to their defaults: one
    // small rendition and 1-second segments, for two shared cores.
    Map<String, Map<String, String>> cheap = Map.of("origin", Map.of("CDN_ORIGIN_LADDER", "90p:160x90:100",
        "CDN_ORIGIN_FRAME_RATE", "15", "CDN_ORIGIN_SEGMENT_SECONDS", "1"));
    try (ComposeOnLocalhost servers = new ComposeOnLocalhost(compose, dir.resolve("compose"));
        PrometheusServer prometheus = PrometheusServer.start(DEPLOY.resolve("prometheus/prometheus.yml"),
            dir.resolve("prometheus"), servers::localAddress)) {
      servers.start(cheap);
      await("Prometheus ready").atMost(BOUND).until(prometheus::ready);
      await("all four servers scraped").atMost(BOUND).until(() -> upTargets(prometheus) == 4);

      Process viewers = startViewers(servers.baseUrl("tracker") + "/route");
      try {
        Map<String, String> queries = dashboardQueries();
        await("every dashboard query has a number").atMost(BOUND).pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> {
              List<String> withoutNumber = new ArrayList<>();
              queries.forEach((title, expr) -> {
                if (!hasNumber(prometheus.query(expr))) {
                  withoutNumber.add(title + ": " + expr);
                }
              });
              assertEquals(List.of(), withoutNumber, "dashboard queries without a number");
              assertTrue(positive(prometheus.query("sum(rate(edge_egress_bytes_total{transport=\"http\"}[15s]))")), "edge egress");
              assertTrue(positive(prometheus.query("sum(rate(tracker_viewer_segment_bytes_total[15s]))")), "viewers' bytes");
            });
        assertTrue(viewers.isAlive() || viewers.exitValue() == 0, "viewers failed: " + Files.readString(dir.resolve("viewers.log")));
      } finally {
        viewers.destroy();
        if (!viewers.waitFor(20, TimeUnit.SECONDS)) {
          viewers.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
      }

      for (Map.Entry<String, String> rule : alertRules().entrySet()) {
        JsonNode answer = prometheus.query(rule.getValue());
        assertEquals("success", answer.path("status").asText(), rule.getKey() + ": " + answer);
      }
      await("every alert rule evaluated without error").atMost(BOUND).until(() -> {
        JsonNode groups = prometheus.get("/api/v1/rules").path("data").path("groups");
        int evaluated = 0;
        for (JsonNode group : groups) {
          for (JsonNode rule : group.path("rules")) {
            String health = rule.path("health").asText();
            assertTrue(health.equals("ok") || health.equals("unknown"), rule.path("name").asText() + ": " + rule.path("lastError").asText());
            evaluated += health.equals("ok") ? 1 : 0;
          }
        }
        return evaluated == alertRules().size();
      });
      assertTrue(prometheus.alive(), "Prometheus still runs");
    }
  }

  /** Each panel's queries, Grafana's {@code $__rate_interval} made 15 s (four times the 1-second scrape, and some). */
  private static Map<String, String> dashboardQueries() throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : JSON.readTree(DEPLOY.resolve("grafana/dashboards/swarmcdn.json").toFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(panel.path("title").asText() + " " + target.path("refId").asText(),
            target.path("expr").asText().replace("$__rate_interval", "15s"));
      }
    }
    return queries;
  }

  private static Map<String, String> alertRules() throws Exception {
    Map<String, String> rules = new LinkedHashMap<>();
    for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile())
        .path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.put(rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    return rules;
  }

  private static int upTargets(PrometheusServer prometheus) {
    JsonNode up = prometheus.query("sum(up)");
    return hasNumber(up) ? (int) value(up.path("data").path("result").get(0)) : 0;
  }

  /** A successful answer with at least one sample that is a number (not NaN). */
  private static boolean hasNumber(JsonNode answer) {
    if (answer == null || !"success".equals(answer.path("status").asText())) {
      return false;
    }
    for (JsonNode sample : answer.path("data").path("result")) {
      if (!Double.isNaN(value(sample))) {
        return true;
      }
    }
    return false;
  }

  private static boolean positive(JsonNode answer) {
    return hasNumber(answer) && value(answer.path("data").path("result").get(0)) > 0;
  }

  private static double value(JsonNode sample) {
    return Double.parseDouble(sample.path("value").get(1).asText());
  }

  /** Two virtual viewers of the live stream, routed by the tracker (their join tokens from /route). */
  private Process startViewers(String route) throws Exception {
    return new ProcessBuilder(PartProcess.cdnCommand(List.of("peer", "simulate", "--route", route,
        "--viewers", "2", "--ramp-s", "1", "--duration-s", "180", "/live/demo/master.m3u8")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("viewers.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private static void requireTool(Path tool) {
    boolean present = Files.isExecutable(tool);
    if (!present && System.getenv("CI") != null) {
      throw new AssertionError(tool + " is missing in CI: scripts/install-deps installs it");
    }
    assumeTrue(present, tool + " is missing (scripts/install-deps installs it): skipped");
  }

  private int run(List<String> command) throws Exception {
    return run(command, REPO, dir.resolve("out-" + System.nanoTime() + ".txt"));
  }

  private static int run(List<String> command, Path workDir, Path output) throws Exception {
    return run(command, workDir, output, Map.of());
  }

  private static int run(List<String> command, Path workDir, Path output, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(command + " ran over a minute: " + Files.readString(output, StandardCharsets.UTF_8));
    }
    return process.exitValue();
  }
}
