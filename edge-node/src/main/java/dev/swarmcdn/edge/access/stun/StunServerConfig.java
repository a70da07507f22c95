package dev.swarmcdn.edge.access.stun;

/**
 * Where the STUN server listens and what it accepts.
 *
 * @param host             interface to bind, e.g. {@code 0.0.0.0}
 * @param port             UDP port; 0 picks a free one (tests), 3478 is STUN's registered port
 * @param maxDatagramBytes longer datagrams are dropped unread; a Binding request is a few dozen
 *                         bytes, and RFC 8489 expects messages to fit a 1500-byte path MTU
 * @param software         text of the SOFTWARE attribute in answers; null or empty: none
 */
public record StunServerConfig(String host, int port, int maxDatagramBytes, String software) {

  public static final int DEFAULT_PORT = 3478;
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 1500;
  public static final String DEFAULT_SOFTWARE = "swarmcdn-edge";

  public StunServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("STUN host must be set");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("STUN port out of range: " + port);
    }
    if (maxDatagramBytes < StunProtocol.HEADER_BYTES || maxDatagramBytes > 65535) {
      throw new IllegalArgumentException("STUN max datagram size must be 20..65535 bytes: " + maxDatagramBytes);
    }
  }

  /** Defaults for everything but where to listen. */
  public static StunServerConfig of(String host, int port) {
    return new StunServerConfig(host, port, DEFAULT_MAX_DATAGRAM_BYTES, DEFAULT_SOFTWARE);
  }
}
