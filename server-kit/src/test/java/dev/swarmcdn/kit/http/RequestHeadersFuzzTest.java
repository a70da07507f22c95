package dev.swarmcdn.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The request fields every server of ours evaluates: Range and If-Range ({@link RangeSelection}),
 * If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since ({@link Preconditions}), their
 * dates ({@link HttpDates}) and entity tags ({@link EntityTag}). None of them throws, whatever a
 * client sends: what cannot be read is ignored, as RFC 9110 says. A selected part lies within the
 * representation; a date read formats back to the same instant; a tag read prints back to itself.
 *
 * <p>Inputs of {@code range} and {@code preconditions} are request heads, one {@code Name: value}
 * per line; lines without a colon are skipped.
 */
class RequestHeadersFuzzTest {

  private static final String ETAG = "\"5f3a-1b2c\"";
  /** Sun, 06 Nov 1994 08:49:37 GMT */
  private static final long LAST_MODIFIED = 784111777000L;
  private static final long[] LENGTHS = {0, 1, 1000, Long.MAX_VALUE};

  @FuzzTest
  void range(byte[] head) {
    MultiMap headers = headers(head);
    for (long length : LENGTHS) {
      RangeSelection selection = RangeSelection.of(headers, ETAG, LAST_MODIFIED, length);
      if (selection instanceof RangeSelection.Part part) {
        assertTrue(part.first() >= 0 && part.last() >= part.first() && part.last() < length, part.contentRange());
        assertEquals(length, part.completeLength());
      } else if (selection instanceof RangeSelection.Unsatisfiable unsatisfiable) {
        assertEquals(length, unsatisfiable.completeLength());
      } else {
        assertNotNull(selection);
      }
    }
  }

  @FuzzTest
  void preconditions(byte[] head) {
    MultiMap headers = headers(head);
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.PUT}) {
      assertNotNull(Preconditions.evaluate(method, headers, ETAG, LAST_MODIFIED));
      assertNotNull(Preconditions.evaluate(method, headers, null, -1));
    }
  }

  @FuzzTest
  void httpDate(byte[] bytes) {
    OptionalLong parsed = HttpDates.parse(new String(bytes, StandardCharsets.ISO_8859_1));
    if (parsed.isPresent()) {
      assertEquals(0, parsed.getAsLong() % 1000, "HTTP-dates have whole seconds");
      assertEquals(parsed, HttpDates.parse(HttpDates.format(parsed.getAsLong())));
    }
  }

  @FuzzTest
  void entityTags(byte[] bytes) {
    Optional<List<EntityTag>> tags = EntityTag.parseList(new String(bytes, StandardCharsets.ISO_8859_1));
    if (tags.isPresent()) {
      assertTrue(!tags.get().isEmpty());
      for (EntityTag tag : tags.get()) {
        assertEquals(Optional.of(tag), EntityTag.parse(tag.toString()));
      }
    }
  }

  /** Lines of {@code Name: value}; as Netty would hand them on, names without controls or spaces. */
  private static MultiMap headers(byte[] head) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0 || !line.substring(0, colon).chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
        continue;
      }
      headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return headers;
  }
}
