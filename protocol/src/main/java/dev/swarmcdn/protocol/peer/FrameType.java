package dev.swarmcdn.protocol.peer;

/** The first byte of every frame. */
public enum FrameType {
  HELLO(0x01),
  HAVE(0x02),
  REQUEST(0x03),
  PIECE(0x04),
  CANCEL(0x05),
  REJECT(0x06),
  BYE(0x07);

  private static final FrameType[] BY_CODE = new FrameType[8];

  static {
    for (FrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type whose byte is {@code code} (0-255), or null. */
  static FrameType fromCode(int code) {
    return code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
