package dev.swarmcdn.tracker.locality;

import io.netty.util.NetUtil;
import java.util.Arrays;

/**
 * IP address literals to bytes, never through a name lookup: the text comes from headers a client
 * controls, and {@code InetAddress.getByName} would resolve a host name.
 */
final class IpLiterals {

  private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private IpLiterals() {}

  /**
   * The address's bytes, 4 for IPv4 (an IPv4-mapped IPv6 address included, so that one viewer has
   * one prefix whichever stack it came through) and 16 for IPv6; null if the text is not a literal.
   */
  static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16
        && Arrays.equals(bytes, 0, V4_MAPPED_PREFIX.length, V4_MAPPED_PREFIX, 0, V4_MAPPED_PREFIX.length)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  /**
   * One entry of X-Forwarded-For: an address, possibly with a port ({@code 192.0.2.1:4711},
   * {@code [2001:db8::1]:4711}) as some proxies write it.
   */
  static byte[] parseForwarded(String entry) {
    String text = entry.trim();
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      return end < 0 ? null : parse(text.substring(1, end));
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':')) {
      text = text.substring(0, colon);
    }
    return parse(text);
  }

  static String format(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }
}
