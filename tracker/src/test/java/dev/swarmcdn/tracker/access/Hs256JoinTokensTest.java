package dev.swarmcdn.tracker.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.protocol.tracker.SwarmId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class Hs256JoinTokensTest {

  private static final String SECRET = "s3cret";
  private static final long NOW = 1_800_000_000L;
  private static final SwarmId SWARM = new SwarmId("demo", "360p");
  private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

  private final Hs256JoinTokens tokens = new Hs256JoinTokens(SECRET.getBytes(StandardCharsets.UTF_8), () -> NOW);

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String sign(String secret, String header, String claims) throws Exception {
    String input = b64(header) + "." + b64(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private Optional<JoinRefusal> check(String claims) throws Exception {
    return tokens.check(sign(SECRET, HS256, claims), SWARM);
  }

  @Test
  void aTokenForTheStreamWithinItsTimeIsAccepted() throws Exception {
    assertEquals(Optional.empty(), check("{\"stream\":\"demo\",\"exp\":" + (NOW + 1) + "}"));
    assertEquals(Optional.empty(), check("{\"stream\":\"demo\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + NOW + ",\"sub\":\"v1\"}"));
    assertEquals(Optional.empty(), check("{\"stream\":\"demo\",\"exp\":" + (NOW + 0.5) + "}"), "NumericDate may be fractional");
  }

  @Test
  void theHs256ExampleOfRfc7515Verifies() {
    // RFC 7515, Appendix A.1: its signature checks out (openssl agrees), and the token then fails
    // only for lacking our stream claim.
    byte[] key = Base64.getUrlDecoder().decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    Hs256JoinTokens rfc = new Hs256JoinTokens(key, () -> 1_300_819_379L);
    String token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assertEquals(Optional.of(JoinRefusal.MALFORMED), rfc.check(token, SWARM));
    assertEquals(Optional.of(JoinRefusal.BAD_SIGNATURE), rfc.check(token.replace("dBjft", "dBjfu"), SWARM));
  }

  @Test
  void theExampleOfDocsProtocolIsAccepted() {
    // docs/PROTOCOL.md, "Join tokens": signed with openssl dgst -sha256 -hmac s3cret.
    String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdHJlYW0iOiJkZW1vIiwiZXhwIjoxODkzNDU2MDAwfQ.82j_vNIVRavfm__JCERYOJfABGGCAJ4PxXLXNfuBX-s";
    Hs256JoinTokens in2020 = new Hs256JoinTokens(SECRET.getBytes(StandardCharsets.UTF_8), () -> 1_600_000_000L);
    assertEquals(Optional.empty(), in2020.check(token, SWARM));
    assertEquals(Optional.of(JoinRefusal.WRONG_STREAM), in2020.check(token, new SwarmId("news", "360p")));
  }

  @Test
  void timeClaims() throws Exception {
    assertEquals(Optional.of(JoinRefusal.EXPIRED), check("{\"stream\":\"demo\",\"exp\":" + NOW + "}"));
    assertEquals(Optional.of(JoinRefusal.NOT_YET_VALID),
        check("{\"stream\":\"demo\",\"exp\":" + (NOW + 60) + ",\"nbf\":" + (NOW + 1) + "}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED), check("{\"stream\":\"demo\"}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED), check("{\"stream\":\"demo\",\"exp\":\"tomorrow\"}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED), check("{\"stream\":\"demo\",\"exp\":" + (NOW + 60) + ",\"nbf\":true}"));
  }

  @Test
  void streamClaim() throws Exception {
    assertEquals(Optional.of(JoinRefusal.WRONG_STREAM), check("{\"stream\":\"news\",\"exp\":" + (NOW + 60) + "}"));
    assertEquals(Optional.of(JoinRefusal.WRONG_STREAM), check("{\"stream\":\"Demo\",\"exp\":" + (NOW + 60) + "}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED), check("{\"exp\":" + (NOW + 60) + "}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED), check("{\"stream\":[\"demo\"],\"exp\":" + (NOW + 60) + "}"));
    assertEquals(Optional.of(JoinRefusal.MALFORMED),
        check("{\"stream\":\"news\",\"stream\":\"demo\",\"exp\":" + (NOW + 60) + "}"), "duplicate claims");
  }

  @Test
  void onlyHs256WithTheRightKeyIsAccepted() throws Exception {
    String claims = "{\"stream\":\"demo\",\"exp\":" + (NOW + 60) + "}";
    assertEquals(Optional.of(JoinRefusal.BAD_SIGNATURE), tokens.check(sign("guess", HS256, claims), SWARM));
    for (String alg : new String[] {"none", "HS512", "RS256", "hs256"}) {
      String header = "{\"alg\":\"" + alg + "\"}";
      assertEquals(Optional.of(JoinRefusal.ALGORITHM), tokens.check(sign(SECRET, header, claims), SWARM), alg);
    }
    assertEquals(Optional.of(JoinRefusal.ALGORITHM), tokens.check(b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".", SWARM));
    assertEquals(Optional.of(JoinRefusal.MALFORMED),
        tokens.check(sign(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", claims), SWARM));
    String valid = sign(SECRET, HS256, claims);
    String tampered = valid.substring(0, valid.indexOf('.') + 1) + b64(claims.replace("demo", "news"))
        + valid.substring(valid.lastIndexOf('.'));
    assertEquals(Optional.of(JoinRefusal.BAD_SIGNATURE), tokens.check(tampered, SWARM));
  }

  @Test
  void malformedTokens() {
    assertEquals(Optional.of(JoinRefusal.MISSING), tokens.check(null, SWARM));
    for (String token : new String[] {"abc", "a.b", "a.b.c.d", "!!.e30.AA", b64("[]") + ".e30.AA", "e30.e30.***"}) {
      assertEquals(Optional.of(JoinRefusal.MALFORMED), tokens.check(token, SWARM), token);
    }
  }

  @Test
  void issuedTokensAreTheDocumentedVectorAndPassTheCheck() {
    // docs/PROTOCOL.md, "Join tokens": what /route hands viewers is byte for byte that vector.
    assertEquals("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdHJlYW0iOiJkZW1vIiwiZXhwIjoxODkzNDU2MDAwfQ"
        + ".82j_vNIVRavfm__JCERYOJfABGGCAJ4PxXLXNfuBX-s", tokens.issue("demo", 1893456000L));
    assertEquals(Optional.empty(), tokens.check(tokens.issue("demo", NOW + 1), SWARM));
    assertEquals(Optional.of(JoinRefusal.WRONG_STREAM), tokens.check(tokens.issue("news", NOW + 1), SWARM));
    // A stream id is a JSON string in the claims, escaped, never pasted.
    assertEquals(Optional.of(JoinRefusal.WRONG_STREAM),
        tokens.check(tokens.issue("demo\",\"stream\":\"x", NOW + 1), SWARM));
  }
}
