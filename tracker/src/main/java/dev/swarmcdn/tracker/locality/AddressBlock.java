package dev.swarmcdn.tracker.locality;

import java.util.Arrays;

/** A CIDR block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one. */
public final class AddressBlock {

  private final byte[] network;
  private final int bits;

  private AddressBlock(byte[] network, int bits) {
    this.network = network;
    this.bits = bits;
  }

  /** @throws IllegalArgumentException unless {@code text} is an address literal with an optional /BITS */
  public static AddressBlock parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = IpLiterals.parse(slash < 0 ? text.trim() : text.substring(0, slash).trim());
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + text, e);
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("prefix length out of range in " + text);
      }
    }
    return new AddressBlock(mask(address, bits), bits);
  }

  public boolean contains(byte[] address) {
    return address != null && address.length == network.length && Arrays.equals(mask(address, bits), network);
  }

  /** The first {@code bits} bits of {@code address}, the rest zero. */
  static byte[] mask(byte[] address, int bits) {
    byte[] masked = new byte[address.length];
    for (int i = 0; i < address.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      masked[i] = (byte) (address[i] & (0xff << (8 - keep)));
    }
    return masked;
  }

  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + bits;
  }
}
