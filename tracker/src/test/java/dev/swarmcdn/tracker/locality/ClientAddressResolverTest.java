package dev.swarmcdn.tracker.locality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {

  private final ClientAddressResolver behindProxies =
      ClientAddressResolver.trusting(List.of("10.0.0.0/8", "127.0.0.1"));

  private String prefix(ClientAddressResolver resolver, String socket, String... forwardedFor) {
    NetworkPrefix prefix = resolver.prefixOf(socket, List.of(forwardedFor));
    return prefix == null ? null : prefix.cidr();
  }

  @Test
  void prefixesAreSlash24AndSlash48() {
    ClientAddressResolver direct = ClientAddressResolver.trusting(List.of());
    assertEquals("198.51.100.0/24", prefix(direct, "198.51.100.77"));
    assertEquals("2001:db8:1::/48", prefix(direct, "2001:db8:1:ffff::1"));
    assertEquals("198.51.100.0/24", prefix(direct, "::ffff:198.51.100.77"), "IPv4-mapped is IPv4");
    assertNull(prefix(direct, null));
    assertNull(prefix(direct, "not-an-address"));
  }

  @Test
  void theHeaderCountsOnlyFromATrustedProxy() {
    ClientAddressResolver direct = ClientAddressResolver.trusting(List.of());
    assertEquals("127.0.0.0/24", prefix(direct, "127.0.0.1", "198.51.100.7"));
    assertEquals("198.51.100.0/24", prefix(behindProxies, "127.0.0.1", "198.51.100.7"));
  }

  @Test
  void theRightmostUntrustedHopIsTheViewer() {
    // The viewer wrote 192.0.2.1 itself; our proxies (10.x) appended what they saw.
    assertEquals("203.0.113.0/24", prefix(behindProxies, "10.0.0.5", "192.0.2.1, 203.0.113.9, 10.1.1.1"));
    assertEquals("203.0.113.0/24", prefix(behindProxies, "10.0.0.5", "192.0.2.1", "203.0.113.9", "10.1.1.1"));
    assertEquals("10.2.0.0/24", prefix(behindProxies, "10.0.0.5", "10.2.0.3, 10.1.1.1"), "all trusted: the first");
    assertEquals("10.1.1.0/24", prefix(behindProxies, "10.0.0.5", "garbage, 10.1.1.1"),
        "garbage stops the walk at the last vouched-for hop");
    assertEquals("10.0.0.0/24", prefix(behindProxies, "10.0.0.5"), "no header: the proxy itself");
  }

  @Test
  void portsAndBracketsAreStripped() {
    assertEquals("203.0.113.0/24", prefix(behindProxies, "127.0.0.1", "203.0.113.9:4711"));
    assertEquals("2001:db8:7::/48", prefix(behindProxies, "127.0.0.1", "[2001:db8:7::1]:4711"));
    assertEquals("2001:db8:7::/48", prefix(behindProxies, "127.0.0.1", "2001:db8:7::1"));
  }

  @Test
  void hostNamesAreNeverResolved() {
    assertEquals("127.0.0.0/24", prefix(behindProxies, "127.0.0.1", "localhost"));
    assertNull(IpLiterals.parse("example.com"));
  }

  @Test
  void blocks() {
    AddressBlock block = AddressBlock.parse("10.0.0.0/8");
    assertTrue(block.contains(IpLiterals.parse("10.255.1.2")));
    assertFalse(block.contains(IpLiterals.parse("11.0.0.1")));
    assertFalse(block.contains(IpLiterals.parse("::a00:1")), "an IPv6 address is not in an IPv4 block");
    assertTrue(AddressBlock.parse("2001:db8::/32").contains(IpLiterals.parse("2001:db8:ffff::1")));
    assertTrue(AddressBlock.parse("0.0.0.0/0").contains(IpLiterals.parse("8.8.8.8")));
    assertEquals("192.0.2.0/25", AddressBlock.parse("192.0.2.77/25").toString());
    assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("proxy.internal"));
    assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.0/x"));
  }
}
