package dev.swarmcdn.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.swarmcdn.edge.EdgeClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When an upstream fails, a stale copy stands in only where the response allows it (RFC 9111
 * section 4.2.4, RFC 5861). Every stored copy here is already stale when it arrives (its Age is
 * past its max-age), so nothing waits for a clock.
 */
class EdgeStaleRulesTest {

  /** The operator's stale-if-error: far longer than any copy here is stale. */
  private static final Duration OPERATOR_STALE_IF_ERROR = Duration.ofMinutes(10);

  private WireMockServer faulty;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    faulty = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    faulty.start();
    running = RunningEdge.start(EdgeConfig.builder("http://127.0.0.1:" + faulty.port()).port(0)
        .stale(Duration.ZERO, OPERATOR_STALE_IF_ERROR).build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    faulty.stop();
  }

  /** Stores {@code path} with these directives, 5 s old, then makes the upstream answer 500. */
  private void storeThenFail(String path, String cacheControl) throws Exception {
    faulty.stubFor(get(path).willReturn(aResponse().withStatus(200).withHeader("Cache-Control", cacheControl)
        .withHeader("Age", "5").withHeader("ETag", "\"1\"").withBody("stored")));
    Response first = client.get(path);
    assertEquals(200, first.status(), path);
    assertEquals("MISS", first.header("X-Cache"), path);
    faulty.stubFor(get(path).willReturn(aResponse().withStatus(500).withBody("boom")));
  }

  @Test
  void withoutADirectiveAgainstItTheOperatorDefaultServesTheStaleCopy() throws Exception {
    storeThenFail("/plain.m4s", "max-age=1");
    Response answer = client.get("/plain.m4s");
    assertEquals(200, answer.status());
    assertEquals("STALE", answer.header("X-Cache"));
    assertEquals("stored", new String(answer.body()));
  }

  @Test
  void directivesThatForbidStaleUsePassTheErrorOnWhateverTheOperatorDefault() throws Exception {
    for (String cacheControl : new String[] {"no-cache", "max-age=1, must-revalidate",
        "max-age=1, proxy-revalidate", "s-maxage=1", "max-age=1, must-revalidate, stale-if-error=600",
        "no-cache, stale-if-error=600"}) {
      String path = "/forbidden/" + cacheControl.replaceAll("[^a-z0-9]+", "-") + ".m4s";
      storeThenFail(path, cacheControl);
      Response answer = client.get(path);
      assertEquals(500, answer.status(), cacheControl + ": the stale copy must not stand in");
      assertNotEquals("STALE", answer.header("X-Cache"), cacheControl);
    }
  }

  @Test
  void aNoCacheCopyIsNotServedWhenTheUpstreamCannotBeReached() throws Exception {
    storeThenFail("/nc.m3u8", "no-cache");
    faulty.stubFor(get("/nc.m3u8").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Response answer = client.get("/nc.m3u8");
    assertEquals(502, answer.status(), "no validation, no use");
  }

  @Test
  void theResponsesOwnStaleIfErrorBoundsTheTimeNotTheOperatorDefault() throws Exception {
    // Stale for 4 s, allowed 1 s: past its own bound although well within the operator's.
    storeThenFail("/short.m4s", "max-age=1, stale-if-error=1");
    assertEquals(500, client.get("/short.m4s").status());
    // Stale for 4 s, allowed 60 s by itself.
    storeThenFail("/long.m4s", "max-age=1, stale-if-error=60");
    assertEquals("STALE", client.get("/long.m4s").header("X-Cache"));
  }
}
