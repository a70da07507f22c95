package dev.swarmcdn.loadtests;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * A burst of arriving viewers, each asking the tracker once which edge to load from
 * ({@code GET /route?stream=ID}), as a player does before it loads anything: the arrivals follow a
 * smooth step (Gatling's stress peak, a Heaviside curve) over the duration, most of them in its
 * middle, as when a live event starts.
 *
 * <p>Every answer is checked: 200, JSON, complete, for the stream asked, naming an edge (not the
 * origin fallback: the system has healthy edges) by URL and id, the tracker's WebSocket and ICE
 * servers. Assertion: no request fails.
 */
public class RouteBurst extends Simulation {

  private final int viewers = Settings.viewers(5000);
  private final Duration burst = Settings.duration(20);

  private final HttpProtocolBuilder protocol = http
      .baseUrl(Settings.tracker())
      .disableCaching()
      .disableWarmUp()
      .acceptEncodingHeader("identity")
      .userAgentHeader("swarmcdn-load-tests RouteBurst");

  private final ScenarioBuilder arrivingViewer = scenario("arriving viewer")
      .exec(http("route").get("/route").queryParam("stream", Settings.stream())
          .check(AnswerChecks.whole(AnswerChecks.JSON))
          .check(
              jsonPath("$.stream").is(Settings.stream()),
              jsonPath("$.fallback").ofBoolean().is(false),
              jsonPath("$.edge").transform(url -> url.startsWith("http://") || url.startsWith("https://")).is(true),
              jsonPath("$.edgeId").exists(),
              jsonPath("$.tracker").transform(url -> url.startsWith("ws://") || url.startsWith("wss://")).is(true),
              jsonPath("$.iceServers").ofList().exists()));

  {
    setUp(arrivingViewer.injectOpen(stressPeakUsers(viewers).during(burst)))
        .protocols(protocol)
        .assertions(global().failedRequests().count().is(0L), global().successfulRequests().count().is((long) viewers))
        .maxDuration(burst.plusSeconds(60));
  }
}
