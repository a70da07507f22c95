package dev.swarmcdn.edge.access.stun;

import java.util.Arrays;

/** One attribute as received: its type and its value without padding. */
public record StunAttribute(int type, byte[] value) {

  public StunAttribute {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("attribute type out of range: " + type);
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public boolean comprehensionRequired() {
    return type < StunProtocol.COMPREHENSION_OPTIONAL_MIN;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StunAttribute that && type == that.type && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return String.format("StunAttribute[0x%04x, %d bytes]", type, value.length);
  }
}
