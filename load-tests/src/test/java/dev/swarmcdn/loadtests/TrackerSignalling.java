package dev.swarmcdn.loadtests;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Viewers on the tracker's own WebSocket protocol ({@code /ws}), in pairs: each pair has a swarm of
 * its own (the stream, a rendition named after the pair), both join it; the offerer finds the
 * answerer in its peer list and, at {@code -Drate} exchanges per second (1 by default), sends a
 * {@code have}, an offer the tracker relays to the answerer, who answers through the tracker, and a
 * {@code ping}. Viewers arrive evenly over the ramp; an offerer exchanges for the duration.
 *
 * <p>Every relayed message is checked on arrival (Gatling WebSocket checks): the offer at the
 * answerer and the answer back at the offerer, each from the right peer with the right sequence
 * number; one that does not arrive within its bound is a failed check. The answerer sends each
 * answer and arms the check for the next offer in one action, and the offerer sends the next offer
 * only once that answer arrived, so no relayed message can arrive before its check waits for it.
 *
 * <p>Assertions: no failure; offers and answers were relayed. In the report, "answer relayed" is the
 * offerer's round trip through the tracker (offer relayed, answered, answer relayed); "offer relayed"
 * is how long the answerer waited for the next offer, so it includes the offerer's pacing.
 */
public class TrackerSignalling extends Simulation {

  private static final String OFFER_RELAYED = "offer relayed";
  private static final String ANSWER_RELAYED = "answer relayed";
  private static final Duration REPLY_BOUND = Duration.ofSeconds(10);
  private static final int JOIN_TRIES = 100;

  private final int viewers = Settings.viewers(1000);
  private final Duration talk = Settings.duration(60);
  private final Duration ramp = Settings.ramp(20);
  private final double rate = Double.parseDouble(System.getProperty("rate", "1"));
  private final Duration exchangeInterval = Duration.ofMillis(Math.round(1000 / rate));
  private final String swarm = Settings.stream();
  /** Keeps this run's swarms apart from any other run's and from real viewers'. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private final HttpProtocolBuilder protocol = http
      .wsBaseUrl(Settings.trackerWebSocket().replaceFirst("/ws$", ""))
      .disableWarmUp()
      .userAgentHeader("swarmcdn-load-tests TrackerSignalling");

  /** Consecutive arrivals form a pair: the first answers, the second offers. */
  private final Iterator<Map<String, Object>> pairs = Stream.iterate(0L, n -> n + 1)
      .map(n -> Map.<String, Object>of("rendition", "gatling-" + run + "-" + n / 2,
          "role", n % 2 == 0 ? "answerer" : "offerer"))
      .iterator();

  private final ChainBuilder connect = exec(ws("connect").connect("/ws").await(REPLY_BOUND).on(
      ws.checkTextMessage("welcome").check(jsonPath("$.type").is("welcome"), jsonPath("$.peerId").saveAs("me"))));

  private final ScenarioBuilder viewer = scenario("signalling viewer")
      .feed(pairs)
      .exec(connect)
      .doIfEqualsOrElse("#{role}", "answerer").then(answerer()).orElse(offerer())
      .exec(ws("close").close());

  {
    setUp(viewer.injectOpen(rampUsers(2 * Math.max(1, viewers / 2)).during(ramp)))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details(OFFER_RELAYED).successfulRequests().count().gt(0L),
            details(ANSWER_RELAYED).successfulRequests().count().gt(0L))
        .maxDuration(ramp.plus(talk).plusSeconds(90));
  }

  /**
   * Joins, and waits in the same action for the first offer; then answers each offer while waiting
   * for the next, until the offerer says it sent its last.
   */
  private ChainBuilder answerer() {
    return exec(ws("join").sendText(session -> TrackerFrames.join(swarm, session.getString("rendition")))
        // The offerer may arrive up to a ramp step later, then find us on its own join.
        .await(REPLY_BOUND.plus(ramp).plus(REPLY_BOUND)).on(peersListed(), firstOfferArrived()))
        // Without a partner there is no conversation: the failure is counted, the viewer leaves.
        .exitHereIfFailed()
        .asLongAs(session -> !session.getBoolean("last")).on(
            exec(ws("answer").sendText(session -> answer(session, false))
                .await(exchangeInterval.plus(REPLY_BOUND)).on(offerArrived())))
        .exec(ws("answer").sendText(session -> answer(session, true)));
  }

  /** Joins until the answerer is listed, then exchanges at the rate for the duration, then once more as the last. */
  private ChainBuilder offerer() {
    return exec(session -> session.set("partner", "").set("seq", 0).set("joinTries", 0))
        .asLongAs(session -> session.getString("partner").isEmpty() && session.getInt("joinTries") < JOIN_TRIES)
        .on(exec(session -> session.set("joinTries", session.getInt("joinTries") + 1))
            .exec(ws("join").sendText(session -> TrackerFrames.join(swarm, session.getString("rendition")))
                .await(REPLY_BOUND).on(ws.checkTextMessage("peers listed")
                    .matching(jsonPath("$.type").in("peers", "error"))
                    .check(jsonPath("$.type").is("peers"), jsonPath("$.peers[0].peerId").optional().saveAs("partner"))))
            // The answerer's join may not have reached the tracker yet: ask again shortly, bounded.
            .doIf(session -> session.getString("partner").isEmpty()).then(pause(Duration.ofMillis(100))))
        .exitHereIfFailed()
        .during(talk).on(exchange(false))
        .exec(exchange(true));
  }

  private ChainBuilder exchange(boolean last) {
    return exec(session -> session.set("seq", session.getInt("seq") + 1))
        .exec(ws("have").sendText(session -> TrackerFrames.have(swarm, session.getString("rendition"), session.getInt("seq"))))
        .exec(ws("offer").sendText(session -> TrackerFrames.signal(swarm, session.getString("rendition"),
                session.getString("partner"), "offer", session.getInt("seq"), last))
            .await(REPLY_BOUND).on(relayed(ANSWER_RELAYED, "answer")
                .check(jsonPath("$.from").is(session -> session.getString("partner")),
                    jsonPath("$.data.seq").ofInt().is(session -> session.getInt("seq")))))
        .exec(ws("ping").sendText(TrackerFrames.ping()).await(REPLY_BOUND).on(
            ws.checkTextMessage("pong").matching(jsonPath("$.type").in("pong", "error")).check(jsonPath("$.type").is("pong"))))
        .pace(exchangeInterval);
  }

  private static WsFrameCheck.Text peersListed() {
    return ws.checkTextMessage("peers listed").matching(jsonPath("$.type").in("peers", "error"))
        .check(jsonPath("$.type").is("peers"));
  }

  /** The first offer: whoever sent it is the partner. */
  private static WsFrameCheck.Text firstOfferArrived() {
    return relayed(OFFER_RELAYED, "offer").check(
        jsonPath("$.from").saveAs("partner"),
        jsonPath("$.data.seq").ofInt().is(1).saveAs("seq"),
        jsonPath("$.data.last").ofBoolean().saveAs("last"));
  }

  /** The next offer: from the partner, numbered one past the previous. */
  private static WsFrameCheck.Text offerArrived() {
    return relayed(OFFER_RELAYED, "offer").check(
        jsonPath("$.from").is(session -> session.getString("partner")),
        jsonPath("$.data.seq").ofInt().is(session -> session.getInt("seq") + 1).saveAs("seq"),
        jsonPath("$.data.last").ofBoolean().saveAs("last"));
  }

  /**
   * A relayed signal of this kind; an error frame in its stead fails at once rather than at the
   * timeout.
   */
  private static WsFrameCheck.Text relayed(String name, String kind) {
    return ws.checkTextMessage(name).matching(jsonPath("$.type").in("signal", "error"))
        .check(jsonPath("$.type").is("signal"), jsonPath("$.kind").is(kind));
  }

  private String answer(Session session, boolean last) {
    return TrackerFrames.signal(swarm, session.getString("rendition"), session.getString("partner"), "answer",
        session.getInt("seq"), last);
  }
}
