package dev.swarmcdn.peer.simulate;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's HTML report: one self-contained file (tables, time series and CDFs) with the
 * summary and the charting library (Chart.js, from npm) inlined, so it opens from disk anywhere,
 * offline, and stays readable after the run's folder is copied away.
 */
final class HtmlReport {
  private HtmlReport() {
  }

  static void write(JsonObject summary, Path chartJs, Path out) throws IOException {
    String template;
    try (InputStream in = HtmlReport.class.getResourceAsStream("swarm-report.html")) {
      if (in == null) {
        throw new IOException("swarm-report.html is missing from the classpath");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // Inside <script>, "</" would end the element early: JSON may write it "<\/".
    String json = summary.encode().replace("</", "<\\/");
    String library = Files.readString(chartJs);
    if (library.contains("</script")) {
      throw new IOException(chartJs + " cannot be inlined: it contains </script");
    }
    Files.writeString(out, template.replace("@@SUMMARY@@", json).replace("@@CHART_JS@@", library));
  }
}
