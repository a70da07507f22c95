package dev.swarmcdn.protocol.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Access tokens arrive in any viewer's URL or header. {@link AccessToken#verify} answers every
 * string with a check and throws nothing; a refusal names its reason; and a token it grants is
 * exactly what {@link AccessToken#sign} writes for that grant (docs/PROTOCOL.md: decimal expiry,
 * base64url without padding), so one grant has one spelling.
 */
class AccessTokenFuzzTest {

  /** The secret of the documented example token. */
  private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
  private static final String PATH = "/live/demo/360p/seg_00042.m4s";
  private static final long NOW = 1_800_000_000L;

  @FuzzTest
  void verify(byte[] bytes) {
    String token = new String(bytes, StandardCharsets.UTF_8);
    AccessToken.Check check = AccessToken.verify(token, SECRET, PATH, NOW);
    if (!check.granted()) {
      assertNotNull(check.refusal());
      return;
    }
    assertTrue(PATH.startsWith(check.token().prefix()));
    assertEquals(check.token().sign(SECRET), token, "a granted token is the signer's own spelling");
  }
}
