package dev.swarmcdn.tracker.locality;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a viewer's address: the socket's, unless the socket comes from a configured trusted proxy;
 * then X-Forwarded-For is read from the right (the entry that proxy appended) leftwards, past further
 * trusted proxies, to the first address nobody trusted wrote. Anything to its left is the client's
 * own claim and is ignored, so a viewer cannot pick its prefix (and its neighbours) by sending the
 * header itself.
 */
public final class ClientAddressResolver {

  private final List<AddressBlock> trusted;

  private ClientAddressResolver(List<AddressBlock> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  public static ClientAddressResolver trusting(List<String> blocks) {
    return new ClientAddressResolver(blocks.stream().map(AddressBlock::parse).toList());
  }

  /**
   * @param socketHost    the peer address of the TCP connection, as text
   * @param forwardedFor  every X-Forwarded-For header line, in order
   * @return the network prefix of the viewer, or null when no address can be read
   */
  public NetworkPrefix prefixOf(String socketHost, List<String> forwardedFor) {
    byte[] address = resolve(socketHost, forwardedFor);
    return address == null ? null : NetworkPrefix.of(address);
  }

  /**
   * The viewer's address as text, by the same rule: the key of per-client limits, so that viewers
   * behind a trusted proxy are told apart and nobody else can pick theirs. Empty when none can be read.
   */
  public String addressOf(String socketHost, List<String> forwardedFor) {
    byte[] address = resolve(socketHost, forwardedFor);
    if (address == null) {
      return "";
    }
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return "";
    }
  }

  byte[] resolve(String socketHost, List<String> forwardedFor) {
    byte[] address = IpLiterals.parse(socketHost);
    if (!isTrusted(address)) {
      return address;
    }
    List<String> hops = new ArrayList<>();
    for (String line : forwardedFor) {
      for (String entry : line.split(",")) {
        hops.add(entry);
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = IpLiterals.parseForwarded(hops.get(i));
      if (hop == null) {
        // Garbage from here leftwards: the last address a trusted hop vouched for stands.
        break;
      }
      address = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return address;
  }

  private boolean isTrusted(byte[] address) {
    return trusted.stream().anyMatch(block -> block.contains(address));
  }
}
