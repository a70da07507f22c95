package dev.swarmcdn.edge.access.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The value of XOR-MAPPED-ADDRESS (RFC 8489 14.2). The address is XORed with the magic cookie (and,
 * for IPv6, the transaction id) so that NATs rewriting addresses they see in payloads leave it alone.
 */
public final class XorMappedAddress {

  private static final int COOKIE_HIGH_BITS = StunProtocol.MAGIC_COOKIE >>> 16;

  private XorMappedAddress() {
  }

  public static byte[] encode(InetSocketAddress address, byte[] transactionId) {
    byte[] raw = address.getAddress().getAddress();
    boolean ipv4 = raw.length == 4;
    byte[] value = new byte[4 + raw.length];
    value[1] = (byte) (ipv4 ? StunProtocol.FAMILY_IPV4 : StunProtocol.FAMILY_IPV6);
    int xPort = address.getPort() ^ COOKIE_HIGH_BITS;
    value[2] = (byte) (xPort >>> 8);
    value[3] = (byte) xPort;
    byte[] mask = mask(transactionId);
    for (int i = 0; i < raw.length; i++) {
      value[4 + i] = (byte) (raw[i] ^ mask[i]);
    }
    return value;
  }

  /** The address in {@code value}, or empty if it is not a well-formed IPv4 or IPv6 value. */
  public static Optional<InetSocketAddress> decode(byte[] value, byte[] transactionId) {
    if (value.length < 4) {
      return Optional.empty();
    }
    int family = value[1];
    int addressLength = family == StunProtocol.FAMILY_IPV4 ? 4 : family == StunProtocol.FAMILY_IPV6 ? 16 : -1;
    if (addressLength < 0 || value.length != 4 + addressLength) {
      return Optional.empty();
    }
    int port = (((value[2] & 0xFF) << 8) | (value[3] & 0xFF)) ^ COOKIE_HIGH_BITS;
    byte[] mask = mask(transactionId);
    byte[] raw = new byte[addressLength];
    for (int i = 0; i < addressLength; i++) {
      raw[i] = (byte) (value[4 + i] ^ mask[i]);
    }
    try {
      InetAddress address = addressLength == 4 ? Inet4Address.getByAddress(raw)
          : InetAddress.getByAddress(null, raw);
      return Optional.of(new InetSocketAddress(address, port));
    } catch (UnknownHostException impossible) {
      return Optional.empty();
    }
  }

  /** Magic cookie followed by the transaction id: 16 bytes, of which IPv4 uses the first 4. */
  private static byte[] mask(byte[] transactionId) {
    byte[] mask = new byte[16];
    mask[0] = (byte) (StunProtocol.MAGIC_COOKIE >>> 24);
    mask[1] = (byte) (StunProtocol.MAGIC_COOKIE >>> 16);
    mask[2] = (byte) (StunProtocol.MAGIC_COOKIE >>> 8);
    mask[3] = (byte) StunProtocol.MAGIC_COOKIE;
    System.arraycopy(transactionId, 0, mask, 4, StunProtocol.TRANSACTION_ID_BYTES);
    return mask;
  }
}
