package dev.swarmcdn.launcher;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/**
 * This machine's IPv4 address on a network interface that is up and not loopback: the address
 * libwebrtc and Chromium gather as their host candidate (they gather no loopback candidates), so
 * the one a TURN relay for this machine's viewers must listen and relay on.
 */
public final class InterfaceAddress {

  private InterfaceAddress() {}

  public static Optional<String> ipv4() {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nif.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      // No interface to list: as if there were none.
    }
    return Optional.empty();
  }
}
