package dev.swarmcdn.edge.access.stun;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A STUN message that passed {@link StunParser}: well-formed, and its FINGERPRINT (if any) checked.
 *
 * @param type          the 14-bit message type (method and class interleaved)
 * @param transactionId the 96-bit id the response must echo
 * @param attributes    in wire order, FINGERPRINT included when present
 */
public record StunMessage(int type, byte[] transactionId, List<StunAttribute> attributes) {

  public StunMessage {
    if (type < 0 || type > 0x3FFF) {
      throw new IllegalArgumentException("message type out of range: " + type);
    }
    if (transactionId.length != StunProtocol.TRANSACTION_ID_BYTES) {
      throw new IllegalArgumentException("transaction id must be 12 bytes");
    }
    transactionId = transactionId.clone();
    attributes = List.copyOf(attributes);
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }

  public int method() {
    return StunProtocol.method(type);
  }

  public int messageClass() {
    return StunProtocol.messageClass(type);
  }

  public boolean isBindingRequest() {
    return type == StunProtocol.BINDING_REQUEST;
  }

  /** The sender asked for fingerprinted messages, so the answer carries one too (RFC 8489 14.7). */
  public boolean hasFingerprint() {
    return attribute(StunProtocol.ATTR_FINGERPRINT).isPresent();
  }

  public Optional<StunAttribute> attribute(int attributeType) {
    return attributes.stream().filter(a -> a.type() == attributeType).findFirst();
  }

  /**
   * Comprehension-required types this server does not know, each once, in order of appearance.
   * Attributes after MESSAGE-INTEGRITY are not part of the message's meaning (RFC 8489 14.5), so
   * they cannot make it fail.
   */
  public List<Integer> unknownComprehensionRequired() {
    Set<Integer> unknown = new LinkedHashSet<>();
    for (StunAttribute attribute : attributes) {
      int t = attribute.type();
      if (t == StunProtocol.ATTR_MESSAGE_INTEGRITY || t == StunProtocol.ATTR_MESSAGE_INTEGRITY_SHA256) {
        break;
      }
      if (attribute.comprehensionRequired() && !StunProtocol.isKnownComprehensionRequired(t)) {
        unknown.add(t);
      }
    }
    return List.copyOf(unknown);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StunMessage that && type == that.type
        && Arrays.equals(transactionId, that.transactionId) && attributes.equals(that.attributes);
  }

  @Override
  public int hashCode() {
    return (31 * type + Arrays.hashCode(transactionId)) * 31 + attributes.hashCode();
  }

  @Override
  public String toString() {
    return String.format("StunMessage[type=0x%04x, tx=%s, %s]", type,
        HexFormat.of().formatHex(transactionId), attributes);
  }
}
