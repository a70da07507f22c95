package dev.swarmcdn.edge.access.stun;

/** The numbers of RFC 8489 this server relies on, in one place so parser and encoder agree. */
public final class StunProtocol {

  public static final int HEADER_BYTES = 20;
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int TRANSACTION_ID_BYTES = 12;
  /** Attribute header: 16-bit type and 16-bit value length. */
  public static final int ATTRIBUTE_HEADER_BYTES = 4;

  public static final int METHOD_BINDING = 0x001;

  public static final int CLASS_REQUEST = 0b00;
  public static final int CLASS_INDICATION = 0b01;
  public static final int CLASS_SUCCESS = 0b10;
  public static final int CLASS_ERROR = 0b11;

  public static final int BINDING_REQUEST = 0x0001;
  public static final int BINDING_SUCCESS = 0x0101;
  public static final int BINDING_ERROR = 0x0111;

  public static final int ATTR_MAPPED_ADDRESS = 0x0001;
  public static final int ATTR_USERNAME = 0x0006;
  public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
  public static final int ATTR_ERROR_CODE = 0x0009;
  public static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;
  public static final int ATTR_REALM = 0x0014;
  public static final int ATTR_NONCE = 0x0015;
  public static final int ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C;
  public static final int ATTR_PASSWORD_ALGORITHM = 0x001D;
  public static final int ATTR_USERHASH = 0x001E;
  public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
  public static final int ATTR_SOFTWARE = 0x8022;
  public static final int ATTR_FINGERPRINT = 0x8028;

  /** Types below this must be understood by the receiver, or the request fails (section 14). */
  public static final int COMPREHENSION_OPTIONAL_MIN = 0x8000;

  public static final int FINGERPRINT_XOR = 0x5354554e;

  public static final int FAMILY_IPV4 = 0x01;
  public static final int FAMILY_IPV6 = 0x02;

  public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;

  private StunProtocol() {
  }

  /** The 12-bit method, whose bits are interleaved with the two class bits in the type field. */
  public static int method(int type) {
    return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
  }

  public static int messageClass(int type) {
    return ((type & 0x0100) >> 7) | ((type & 0x0010) >> 4);
  }

  /** Rounds a value length up to the 4-byte boundary every attribute starts on. */
  public static int padded(int length) {
    return (length + 3) & ~3;
  }

  /**
   * Comprehension-required attributes this server knows. None of them changes the answer to an
   * unauthenticated Binding request, but knowing them keeps clients that send them (e.g. with
   * credentials meant for another server) from getting a 420 they did not earn.
   */
  public static boolean isKnownComprehensionRequired(int type) {
    return switch (type) {
      case ATTR_MAPPED_ADDRESS, ATTR_USERNAME, ATTR_MESSAGE_INTEGRITY, ATTR_ERROR_CODE,
          ATTR_UNKNOWN_ATTRIBUTES, ATTR_REALM, ATTR_NONCE, ATTR_MESSAGE_INTEGRITY_SHA256,
          ATTR_PASSWORD_ALGORITHM, ATTR_USERHASH, ATTR_XOR_MAPPED_ADDRESS -> true;
      default -> false;
    };
  }
}
