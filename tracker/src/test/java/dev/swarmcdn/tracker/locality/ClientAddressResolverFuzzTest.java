package dev.swarmcdn.tracker.locality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * X-Forwarded-For is written by the client as much as by the proxies. Behind a trusted proxy the
 * resolver reads it, and whatever the lines hold answers with an IPv4 or IPv6 address or none,
 * never an exception. Inputs: one header line per line.
 */
class ClientAddressResolverFuzzTest {

  private static final ClientAddressResolver RESOLVER =
      ClientAddressResolver.trusting(List.of("10.0.0.0/8", "127.0.0.1", "2001:db8::/32"));

  @FuzzTest
  void forwardedFor(byte[] bytes) {
    List<String> lines = List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1));
    for (String socket : new String[] {"10.1.2.3", "2001:db8::7", "192.0.2.1"}) {
      byte[] address = RESOLVER.resolve(socket, lines);
      assertTrue(address == null || address.length == 4 || address.length == 16);
      if (address != null) {
        RESOLVER.prefixOf(socket, lines);
      }
    }
  }
}
