package dev.swarmcdn.peer.rtc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.util.Optional;

/**
 * The browser's JSON for signals: {@code RTCSessionDescription} ({@code {"type":"offer","sdp":"…"}})
 * and {@code RTCIceCandidate.toJSON()} ({@code {"candidate":"…","sdpMid":"0","sdpMLineIndex":0}}),
 * so a Java peer and a browser peer signal each other through the tracker unchanged.
 *
 * <p>Reading is as lenient as a browser's {@code RTCIceCandidateInit}: unknown fields (such as
 * {@code usernameFragment}) are ignored and missing ones take the dictionary's defaults. Anything a
 * browser would reject throws {@link IllegalArgumentException}.
 */
final class SignalJson {
  // ObjectMapper is thread-safe once configured; one for the process. Trailing tokens make a
  // signal malformed, as JSON.parse would.
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SignalJson() {}

  static String description(RTCSessionDescription description) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", typeName(description.sdpType));
    node.put("sdp", description.sdp);
    return write(node);
  }

  static String candidate(RTCIceCandidate candidate) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("candidate", candidate.sdp);
    node.put("sdpMid", candidate.sdpMid);
    node.put("sdpMLineIndex", candidate.sdpMLineIndex);
    return write(node);
  }

  /** @throws IllegalArgumentException for malformed JSON or a type other than offer or answer */
  static RTCSessionDescription parseDescription(String json) {
    JsonNode node = parseObject(json);
    String type = node.path("type").asText("");
    RTCSdpType sdpType = switch (type) {
      case "offer" -> RTCSdpType.OFFER;
      case "answer" -> RTCSdpType.ANSWER;
      default -> throw new IllegalArgumentException("description type must be offer or answer: " + type);
    };
    // A missing sdp is "" for a browser too; libwebrtc then refuses it, and the session fails.
    return new RTCSessionDescription(sdpType, text(node, "sdp", ""));
  }

  /**
   * A trickled candidate, or empty for the end of candidates ({@code null} data, JSON
   * {@code null}, or an empty {@code candidate} string as browsers send it).
   *
   * @throws IllegalArgumentException for malformed JSON, or neither sdpMid nor sdpMLineIndex
   */
  static Optional<RTCIceCandidate> parseCandidate(String json) {
    if (json == null) {
      return Optional.empty();
    }
    JsonNode node = parse(json);
    if (node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("a candidate must be a JSON object");
    }
    String candidate = text(node, "candidate", "");
    if (candidate.isEmpty()) {
      return Optional.empty();
    }
    String sdpMid = text(node, "sdpMid", null);
    JsonNode index = node.path("sdpMLineIndex");
    boolean hasIndex = index.canConvertToInt() && index.isIntegralNumber();
    if (sdpMid == null && !hasIndex) {
      // The browser's addIceCandidate rejects this with a TypeError.
      throw new IllegalArgumentException("a candidate needs sdpMid or sdpMLineIndex");
    }
    // libwebrtc looks the m-line up by mid when there is one, else by index.
    return Optional.of(new RTCIceCandidate(sdpMid == null ? "" : sdpMid, hasIndex ? index.intValue() : 0,
        candidate));
  }

  private static String typeName(RTCSdpType type) {
    return switch (type) {
      case OFFER -> "offer";
      case ANSWER -> "answer";
      case PR_ANSWER -> "pranswer";
      case ROLLBACK -> "rollback";
    };
  }

  private static String text(JsonNode node, String field, String absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.textValue();
  }

  private static JsonNode parseObject(String json) {
    if (json == null) {
      throw new IllegalArgumentException("a description is required");
    }
    JsonNode node = parse(json);
    if (!node.isObject()) {
      throw new IllegalArgumentException("a description must be a JSON object");
    }
    return node;
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed signal JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and ints always serializes", e);
    }
  }
}
