package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every precondition (RFC 9110 section 13) and range (section 14) case the servers support, as one
 * table: the request, then the answer expected for a 100-byte representation with a strong ETag
 * and a Last-Modified. Request fields are {@code Name: value} joined by {@code |}.
 */
class AnswerTest {

  private static final String ETAG = "\"v1\"";
  private static final String MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";
  private static final long LENGTH = 100;

  @ParameterizedTest(name = "{0} [{1}] -> {2}")
  @CsvSource(delimiter = ';', nullValues = "-", textBlock = """
      # method; request fields; status; first; length; Content-Range; Accept-Ranges; body
      GET;  -;                                             200; 0;  100; -;             true;  true
      HEAD; -;                                             200; 0;  100; -;             true;  false
      # 13.1.1 If-Match: strong comparison, * matches any current representation
      GET;  If-Match: "v1";                                200; 0;  100; -;             true;  true
      GET;  If-Match: "v0", "v1";                          200; 0;  100; -;             true;  true
      GET;  If-Match: "v2";                                412; 0;  0;   -;             false; false
      GET;  If-Match: W/"v1";                              412; 0;  0;   -;             false; false
      GET;  If-Match: *;                                   200; 0;  100; -;             true;  true
      # 13.1.4 If-Unmodified-Since, ignored beside If-Match
      GET;  If-Unmodified-Since: Sun, 06 Nov 1994 08:49:38 GMT; 200; 0; 100; -;         true;  true
      GET;  If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT; 200; 0; 100; -;         true;  true
      GET;  If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT; 412; 0; 0;   -;         false; false
      GET;  If-Match: "v1"|If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT; 200; 0; 100; -; true; true
      GET;  If-Unmodified-Since: yesterday;                200; 0;  100; -;             true;  true
      # 13.1.2 If-None-Match: weak comparison, 304 for GET and HEAD
      GET;  If-None-Match: "v1";                           304; 0;  0;   -;             false; false
      HEAD; If-None-Match: "v1";                           304; 0;  0;   -;             false; false
      GET;  If-None-Match: W/"v1";                         304; 0;  0;   -;             false; false
      GET;  If-None-Match: "v0", "v1";                     304; 0;  0;   -;             false; false
      GET;  If-None-Match: *;                              304; 0;  0;   -;             false; false
      GET;  If-None-Match: "v2";                           200; 0;  100; -;             true;  true
      # 13.1.3 If-Modified-Since, ignored beside If-None-Match, invalid dates ignored
      GET;  If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT; 304; 0; 0;   -;           false; false
      GET;  If-Modified-Since: Sun, 06 Nov 1994 08:49:38 GMT; 304; 0; 0;   -;           false; false
      GET;  If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT; 200; 0; 100; -;           true;  true
      GET;  If-None-Match: "v2"|If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT; 200; 0; 100; -; true; true
      GET;  If-None-Match: v1|If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT; 304; 0; 0; -; false; false
      GET;  If-Modified-Since: next tuesday;               200; 0;  100; -;             true;  true
      # 13.2.2 order: If-Match before If-None-Match
      GET;  If-Match: "v2"|If-None-Match: "v1";            412; 0;  0;   -;             false; false
      # 14.1.2 a single byte range: 206, past the end 416
      GET;  Range: bytes=0-9;                              206; 0;  10;  bytes 0-9/100;  true; true
      GET;  Range: bytes=90-;                              206; 90; 10;  bytes 90-99/100; true; true
      GET;  Range: bytes=-5;                               206; 95; 5;   bytes 95-99/100; true; true
      GET;  Range: bytes=-500;                             206; 0;  100; bytes 0-99/100; true; true
      GET;  Range: bytes=95-200;                           206; 95; 5;   bytes 95-99/100; true; true
      GET;  Range: BYTES=0-0;                              206; 0;  1;   bytes 0-0/100;  true; true
      HEAD; Range: bytes=0-9;                              206; 0;  10;  bytes 0-9/100;  true; false
      GET;  Range: bytes=100-;                             416; 0;  0;   bytes */100;    true; false
      GET;  Range: bytes=-0;                               416; 0;  0;   bytes */100;    true; false
      # 14.2 what a server may ignore: several ranges, other units, malformed, several fields
      GET;  Range: bytes=0-1,5-6;                          200; 0;  100; -;             true;  true
      GET;  Range: items=0-1;                              200; 0;  100; -;             true;  true
      GET;  Range: bytes=5-1;                              200; 0;  100; -;             true;  true
      GET;  Range: bytes=a-b;                              200; 0;  100; -;             true;  true
      GET;  Range: bytes=0-1|Range: bytes=2-3;             200; 0;  100; -;             true;  true
      # 13.1.5 If-Range: a strong ETag match or the exact Last-Modified lets the Range apply
      GET;  Range: bytes=0-9|If-Range: "v1";               206; 0;  10;  bytes 0-9/100;  true; true
      GET;  Range: bytes=0-9|If-Range: "v2";               200; 0;  100; -;             true;  true
      GET;  Range: bytes=0-9|If-Range: W/"v1";             200; 0;  100; -;             true;  true
      GET;  Range: bytes=0-9|If-Range: Sun, 06 Nov 1994 08:49:37 GMT; 206; 0; 10; bytes 0-9/100; true; true
      GET;  Range: bytes=0-9|If-Range: Sun, 06 Nov 1994 08:49:36 GMT; 200; 0; 100; -;   true;  true
      GET;  Range: bytes=100-|If-Range: "v2";              200; 0;  100; -;             true;  true
      # preconditions before ranges
      GET;  Range: bytes=0-9|If-None-Match: "v1";          304; 0;  0;   -;             false; false
      GET;  Range: bytes=0-9|If-Match: "v2";               412; 0;  0;   -;             false; false
      GET;  Range: bytes=0-9|If-Match: "v1";               206; 0;  10;  bytes 0-9/100;  true; true
      """)
  void decides(String method, String fields, int status, long first, long length, String contentRange,
      boolean acceptRanges, boolean body) {
    Answer answer = Answer.decide(HttpMethod.valueOf(method), headers(fields), 200, ETAG, MODIFIED, LENGTH);
    assertEquals(new Answer(status, first, length, contentRange, acceptRanges, body), answer);
  }

  @Test
  void aRepresentationOfUnknownLengthIsSentWholeAndChunked() {
    Answer answer = Answer.decide(HttpMethod.GET, headers("Range: bytes=0-9"), 200, ETAG, MODIFIED, -1);
    assertEquals(new Answer(200, 0, -1, null, false, true), answer);
    assertEquals(304, Answer.decide(HttpMethod.GET, headers("If-None-Match: \"v1\""), 200, ETAG, MODIFIED, -1)
        .status(), "its preconditions are answered: the validators are known from the head");
  }

  @Test
  void anEmptyRepresentationHasNoBodyAndNoRangeOfIt() {
    assertEquals(new Answer(200, 0, 0, null, true, false),
        Answer.decide(HttpMethod.GET, headers(null), 200, ETAG, MODIFIED, 0));
    assertEquals(new Answer(200, 0, 0, null, true, false),
        Answer.decide(HttpMethod.GET, headers("Range: bytes=-5"), 200, ETAG, MODIFIED, 0),
        "no Content-Range can say zero bytes of zero");
  }

  @Test
  void anotherStatusPassesAsItIsWhateverTheRequestAsks() {
    Answer notFound = Answer.decide(HttpMethod.GET, headers("Range: bytes=0-9|If-None-Match: \"v1\""),
        404, ETAG, MODIFIED, 12);
    assertEquals(new Answer(404, 0, 12, null, false, true), notFound);
    assertFalse(Answer.decide(HttpMethod.HEAD, headers(null), 503, null, null, -1).sendsBody());
  }

  @Test
  void withoutValidatorsNothingMatchesAndDatesAreNotCompared() {
    assertEquals(412, Answer.decide(HttpMethod.GET, headers("If-Match: \"v1\""), 200, null, null, LENGTH).status());
    assertEquals(200, Answer.decide(HttpMethod.GET, headers("If-Modified-Since: " + MODIFIED), 200, null, null,
        LENGTH).status());
    assertEquals(200, Answer.decide(HttpMethod.GET, headers("Range: bytes=0-9|If-Range: " + MODIFIED), 200, null,
        null, LENGTH).status(), "an If-Range date needs a Last-Modified to equal");
  }

  @Test
  void onlyAnswersThatSendTheRepresentationCarryIt() {
    assertTrue(new Answer(200, 0, 1, null, true, true).carriesRepresentation());
    assertTrue(new Answer(206, 0, 1, "bytes 0-0/2", true, true).carriesRepresentation());
    assertFalse(new Answer(304, 0, 0, null, false, false).carriesRepresentation());
    assertFalse(new Answer(412, 0, 0, null, false, false).carriesRepresentation());
    assertFalse(new Answer(416, 0, 0, "bytes */2", true, false).carriesRepresentation());
    assertNull(Answer.decide(HttpMethod.GET, headers(null), 200, ETAG, MODIFIED, LENGTH).contentRange());
  }

  private static MultiMap headers(String fields) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (fields != null) {
      for (String field : fields.split("\\|")) {
        int colon = field.indexOf(':');
        headers.add(field.substring(0, colon).strip(), field.substring(colon + 1).strip());
      }
    }
    return headers;
  }
}
