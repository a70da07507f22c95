package dev.swarmcdn.loadtests;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * Readers of one VOD title through an edge ({@code EDGE/vod/TITLE/index.m3u8}), half of them reading
 * whole segments (a player) and half reading byte ranges of them (a player seeking inside a segment,
 * or a downloader resuming): a range from the start, then the rest from the middle, checked against
 * each other. Each reader goes through the title's segments back to back, from the start again
 * when done, for the duration: a closed loop, so the throughput reported is what the edge and the
 * generator manage together (on one machine, the generator's share of the CPUs counts).
 *
 * <p>Assertions: no request fails, and both kinds of read happened.
 */
public class VodViewers extends Simulation {

  private static final String WHOLE = "segment";
  private static final String HEAD = "segment range head";
  private static final String TAIL = "segment range tail";
  /** A player's first range read of a segment: enough for the moof box and the first samples. */
  private static final long HEAD_BYTES = 64 * 1024;

  private final int viewers = Settings.viewers(64);
  private final Duration watch = Settings.duration(60);
  private final Duration ramp = Settings.ramp(10);

  private final HttpProtocolBuilder protocol = http
      .disableCaching()
      .disableWarmUp()
      .acceptEncodingHeader("identity")
      .userAgentHeader("swarmcdn-load-tests VodViewers");

  private final ChainBuilder loadPlaylist = exec(
      http("vod playlist").get(playlistUrl()).check(AnswerChecks.playlist()).check(bodyString().saveAs("playlist")))
      // Nothing to read without the playlist: the failure is counted, the reader leaves.
      .exitHereIfFailed()
      .exec(VodViewers::readPlaylist)
      .doIf(session -> session.contains("init")).then(
          exec(http("init segment").get("#{init}").check(AnswerChecks.whole(AnswerChecks.INIT))));

  private final ScenarioBuilder wholeReader = scenario("whole-segment reader")
      .exec(loadPlaylist)
      .during(watch).on(foreachSegment(
          exec(http(WHOLE).get("#{segmentUrl}").check(AnswerChecks.whole(AnswerChecks.SEGMENT)))));

  private final ScenarioBuilder rangeReader = scenario("byte-range reader")
      .exec(loadPlaylist)
      .during(watch).on(foreachSegment(
          exec(http(HEAD).get("#{segmentUrl}").header("Range", "bytes=0-" + (HEAD_BYTES - 1))
              .check(AnswerChecks.range(session -> 0L, "head")))
              .exec(session -> session.set("middle", session.<ContentRange>get("head").total() / 2))
              .exec(http(TAIL).get("#{segmentUrl}").header("Range", "bytes=#{middle}-")
                  .check(AnswerChecks.range(session -> session.getLong("middle"), "tail"))
                  // The rest of the same object: up to its last byte, of the total the head gave.
                  .check(header("Content-Range").transform(value -> ContentRange.parse(value).last())
                      .is(session -> session.<ContentRange>get("head").total() - 1))
                  .check(header("Content-Range").transform(value -> ContentRange.parse(value).total())
                      .is(session -> session.<ContentRange>get("head").total())))));

  {
    int wholeReaders = Math.max(1, viewers / 2);
    setUp(
        wholeReader.injectOpen(rampUsers(wholeReaders).during(ramp)),
        rangeReader.injectOpen(rampUsers(Math.max(1, viewers - wholeReaders)).during(ramp)))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details(WHOLE).successfulRequests().count().gt(0L),
            details(TAIL).successfulRequests().count().gt(0L))
        .maxDuration(ramp.plus(watch).plusSeconds(60));
  }

  private static ChainBuilder foreachSegment(ChainBuilder read) {
    return foreach("#{segments}", "segmentUrl").on(read);
  }

  private static Session readPlaylist(Session session) {
    HlsPlaylists.Media title = HlsPlaylists.media(playlistUrl(), session.getString("playlist"));
    if (title.segments().isEmpty()) {
      throw new IllegalStateException("the VOD playlist lists no segment");
    }
    Session next = session.remove("playlist").set("segments", title.segments());
    return title.init() == null ? next : next.set("init", title.init());
  }

  private static String playlistUrl() {
    return Settings.edge() + "/vod/" + Settings.title() + "/index.m3u8";
  }
}
