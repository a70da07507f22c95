package dev.swarmcdn.tracker.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Join tokens (JWTs) arrive in any viewer's join frame. {@link Hs256JoinTokens#check} answers every
 * string with a verdict and throws nothing; a token it issued passes its own check.
 */
class Hs256JoinTokensFuzzTest {

  private static final byte[] SECRET = "join-secret".getBytes(StandardCharsets.UTF_8);
  private static final long NOW = 1_800_000_000L;
  private static final Hs256JoinTokens TOKENS = new Hs256JoinTokens(SECRET, () -> NOW);
  private static final SwarmId SWARM = new SwarmId("demo", "360p");

  @FuzzTest
  void check(byte[] bytes) {
    String token = new String(bytes, StandardCharsets.UTF_8);
    Optional<JoinRefusal> verdict = TOKENS.check(token, SWARM);
    assertNotNull(verdict);
    verdict.ifPresent(refusal -> assertNotNull(refusal.reason()));
    // The tracker's own /route tokens, for streams named by the same bytes, pass.
    String stream = token.length() > 16 ? token.substring(0, 16) : token;
    if (!stream.isEmpty() && stream.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      assertEquals(Optional.empty(), TOKENS.check(TOKENS.issue(stream, NOW + 60), new SwarmId(stream, "360p")));
    }
  }
}
