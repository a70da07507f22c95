package dev.swarmcdn.loadtests;

import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The checks every answer of a load test gets: a load test that only counts answers would report a
 * server that answers fast and wrong as a fast server.
 */
public final class AnswerChecks {

  public static final String PLAYLIST = "application/vnd.apple.mpegurl";
  public static final String SEGMENT = "video/iso.segment";
  public static final String INIT = "video/mp4";
  public static final String JSON = "application/json";

  private static final String DECLARED_LENGTH = "declaredContentLength";

  private AnswerChecks() {}

  /** A whole answer: 200, this media type, and a non-empty body exactly as long as its Content-Length. */
  public static List<CheckBuilder> whole(String mediaType) {
    List<CheckBuilder> checks = new ArrayList<>(List.of(status().is(200), mediaType(mediaType)));
    checks.addAll(completeBody());
    checks.add(bodyLength().gt(0));
    return checks;
  }

  /** A playlist: a whole answer that is an HLS playlist. */
  public static List<CheckBuilder> playlist() {
    List<CheckBuilder> checks = new ArrayList<>(whole(PLAYLIST));
    checks.add(bodyString().transform(body -> body.startsWith("#EXTM3U")).is(true));
    return checks;
  }

  /**
   * A part of a segment: 206, the segment's type, a Content-Range starting at {@code first}, and a
   * body as long as that range and the Content-Length. The range is saved under {@code saveRangeAs}.
   */
  public static List<CheckBuilder> range(Function<Session, Long> first, String saveRangeAs) {
    List<CheckBuilder> checks = new ArrayList<>(List.of(status().is(206), mediaType(SEGMENT),
        header("Content-Range").transform(ContentRange::parse).saveAs(saveRangeAs),
        header("Content-Range").transform(value -> ContentRange.parse(value).first()).is(first)));
    checks.addAll(completeBody());
    checks.add(bodyLength().is(session -> (int) session.<ContentRange>get(saveRangeAs).length()));
    return checks;
  }

  private static CheckBuilder mediaType(String expected) {
    // Parameters (charset) do not change what the body is.
    return header("Content-Type").transform(value -> value.split(";", 2)[0].strip()).is(expected);
  }

  /**
   * The body is as long as the Content-Length announced: a cut or padded answer fails. Checks run in
   * order and each sees what the earlier ones saved.
   */
  private static List<CheckBuilder> completeBody() {
    return List.of(header("Content-Length").saveAs(DECLARED_LENGTH),
        bodyLength().is(session -> Integer.parseInt(session.getString(DECLARED_LENGTH))));
  }
}
