package dev.swarmcdn.tracker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Join tokens built by hand, as any JWT library would: the tracker must not depend on one. */
final class TestTokens {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  static String valid(String secret, String stream) {
    return signed(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"stream\":\"" + stream + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}");
  }

  static String signed(String secret, String header, String claims) {
    String input = encode(header) + "." + encode(claims);
    return input + "." + BASE64URL.encodeToString(hmac(secret, input));
  }

  static String encode(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
