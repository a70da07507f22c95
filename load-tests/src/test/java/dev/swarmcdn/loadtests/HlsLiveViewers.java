package dev.swarmcdn.loadtests;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Viewers of the live stream through one edge, loading it as a player does: the master playlist,
 * then the first (best) variant's playlist reloaded every target duration, the init segment when it
 * changes, and each new segment once, starting three segments behind the live edge. Viewers arrive
 * evenly over the ramp and each watches for the duration.
 *
 * <p>Assertions: no request fails (status, type, length; see {@link AnswerChecks}); every viewer got
 * segments; and segments' p99 stays under {@code -DsegmentP99Ms} (2000 by default): a segment that
 * takes longer than its own duration to arrive (the demo's are 2 s) drains the player's buffer
 * faster than it fills, so past that bound viewers stall whatever the mean says.
 */
public class HlsLiveViewers extends Simulation {

  private static final String SEGMENT_REQUEST = "segment";

  private final int viewers = Settings.viewers(200);
  private final Duration watch = Settings.duration(60);
  private final Duration ramp = Settings.ramp(30);
  private final int segmentP99Ms = Settings.integer("segmentP99Ms", 2000);
  private final String master = Settings.edge() + "/live/" + Settings.stream() + "/master.m3u8";

  private final HttpProtocolBuilder protocol = http
      // Gatling would otherwise turn reloads into conditional requests answered 304: players don't.
      .disableCaching()
      .disableWarmUp()
      .acceptEncodingHeader("identity")
      .userAgentHeader("swarmcdn-load-tests HlsLiveViewers");

  /** One playlist reload and what it makes due: the init segment when new, then the new segments. */
  private final ChainBuilder reload = exec(
      http("media playlist").get("#{variant}").check(AnswerChecks.playlist())
          .check(bodyString().saveAs("playlist")))
      .exitHereIfFailed()
      .exec(HlsLiveViewers::plan)
      .doIf(session -> session.contains("initDue")).then(
          exec(http("init segment").get("#{initDue}").check(AnswerChecks.whole(AnswerChecks.INIT))))
      .foreach("#{due}", "segmentUrl").on(
          exec(http(SEGMENT_REQUEST).get("#{segmentUrl}").check(AnswerChecks.whole(AnswerChecks.SEGMENT))))
      // Reload a target duration after the previous reload, as a player does (pace, not pause: time
      // spent fetching counts).
      .pace(session -> Duration.ofSeconds(session.getInt("targetDuration")));

  private final ScenarioBuilder liveViewer = scenario("live viewer")
      .exec(http("master playlist").get(master).check(AnswerChecks.playlist()).check(bodyString().saveAs("master")))
      // A player without a master playlist has nothing to play: the failure is counted, the viewer leaves.
      .exitHereIfFailed()
      .exec(session -> session.set("variant", HlsPlaylists.variants(master, session.getString("master")).get(0))
          .set("nextWanted", -1L))
      .during(watch).on(reload);

  {
    setUp(liveViewer.injectOpen(rampUsers(viewers).during(ramp)))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details(SEGMENT_REQUEST).successfulRequests().count().gte((long) viewers),
            details(SEGMENT_REQUEST).responseTime().percentile(99.0).lt(segmentP99Ms))
        // A bound on the whole run, should something hang: ramp, watch, and a minute to spare.
        .maxDuration(ramp.plus(watch).plusSeconds(60));
  }

  /** Works out, from the playlist just loaded, which init segment and segments are due. */
  private static Session plan(Session session) {
    HlsPlaylists.Media playlist = HlsPlaylists.media(session.getString("variant"), session.getString("playlist"));
    List<String> due = LiveViewerWindow.due(playlist, session.getLong("nextWanted"));
    Session next = session.remove("playlist").remove("initDue")
        .set("due", due)
        .set("nextWanted", playlist.nextSequence())
        .set("targetDuration", playlist.targetDurationSeconds());
    if (playlist.init() != null && !Objects.equals(playlist.init(), session.getString("init"))) {
      next = next.set("initDue", playlist.init()).set("init", playlist.init());
    }
    return next;
  }
}
