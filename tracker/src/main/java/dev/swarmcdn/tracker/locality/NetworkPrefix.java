package dev.swarmcdn.tracker.locality;

/**
 * The network a viewer sits in, as far as matching goes: its IPv4 /24 or IPv6 /48. Two viewers in
 * one prefix are likely in one home, office or access network, where a data channel between them
 * is cheap and often needs no NAT traversal.
 *
 * @param cidr e.g. {@code 198.51.100.0/24} or {@code 2001:db8:1::/48}
 */
public record NetworkPrefix(String cidr) {

  public static final int IPV4_BITS = 24;
  public static final int IPV6_BITS = 48;

  /** @param address 4 or 16 bytes */
  public static NetworkPrefix of(byte[] address) {
    int bits = address.length == 4 ? IPV4_BITS : IPV6_BITS;
    return new NetworkPrefix(IpLiterals.format(AddressBlock.mask(address, bits)) + "/" + bits);
  }
}
