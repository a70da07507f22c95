package dev.swarmcdn.edge.access.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Answers byte by byte, checked against RFC 5769's published vectors where they exist. */
class StunEncoderTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ID = HEX.parseHex("b7e7a701bc34d686fa87dfae");
  private static final StunEncoder ENCODER = new StunEncoder("test vector");

  /** RFC 5769 section 2.2: IPv4 success response for 192.0.2.1:32853, fingerprinted. */
  private static final String RFC5769_IPV4_RESPONSE = "0101003c2112a442b7e7a701bc34d686fa87dfae"
      + "8022000b" + "7465737420766563746f7220"
      + "00200008" + "0001a147e112a643"
      + "00080014" + "2b91f599fd9e90c38c7489f92af9ba53f06be7d7"
      + "80280004" + "c07d4c96";

  @Test
  void xorMappedAddressMatchesTheRfc5769Vectors() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
    assertEquals("0001a147e112a643", HEX.formatHex(XorMappedAddress.encode(v4, ID)));

    InetSocketAddress v6 = new InetSocketAddress(
        InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
    byte[] encoded = XorMappedAddress.encode(v6, ID);
    assertEquals("0002a147" + "0113a9faa5d3f179bc25f4b5bed2b9d9", HEX.formatHex(encoded));
    assertEquals(Optional.of(v6), XorMappedAddress.decode(encoded, ID));
  }

  @Test
  void rfc5769ResponseParsesAndItsAddressDecodes() throws Exception {
    ParseResult result = StunParser.parse(HEX.parseHex(RFC5769_IPV4_RESPONSE));
    StunMessage response = assertInstanceOf(ParseResult.Parsed.class, result).message();
    byte[] value = response.attribute(StunProtocol.ATTR_XOR_MAPPED_ADDRESS).orElseThrow().value();
    assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)),
        XorMappedAddress.decode(value, ID));
  }

  @Test
  void malformedAddressValuesDecodeToNothing() {
    assertTrue(XorMappedAddress.decode(new byte[3], ID).isEmpty());
    assertTrue(XorMappedAddress.decode(HEX.parseHex("0003a147e112a643"), ID).isEmpty(), "family 3");
    assertTrue(XorMappedAddress.decode(HEX.parseHex("0001a147e112a64300"), ID).isEmpty(), "too long");
    assertTrue(XorMappedAddress.decode(HEX.parseHex("0002a147e112a643"), ID).isEmpty(), "IPv6 too short");
  }

  @Test
  void successResponseLayout() throws Exception {
    InetSocketAddress sender = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
    byte[] bytes = encode(ENCODER.bindingSuccess(UnpooledByteBufAllocator.DEFAULT, request(false), sender));
    // header, XOR-MAPPED-ADDRESS, SOFTWARE "test vector" padded by one zero byte
    assertEquals("010100" + "1c" + "2112a442b7e7a701bc34d686fa87dfae"
        + "00200008" + "0001a147e112a643"
        + "8022000b" + "7465737420766563746f7200", HEX.formatHex(bytes));
  }

  @Test
  void fingerprintedSuccessResponseForIpv6() throws Exception {
    InetSocketAddress sender = new InetSocketAddress(
        InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
    byte[] bytes = encode(ENCODER.bindingSuccess(UnpooledByteBufAllocator.DEFAULT, request(true), sender));
    assertTrue(StunDatagrams.fingerprintValid(bytes), HEX.formatHex(bytes));
    assertEquals(bytes.length - 20, StunDatagrams.u16(bytes, 2), "header length counts the FINGERPRINT");
    StunMessage parsed = assertInstanceOf(ParseResult.Parsed.class, StunParser.parse(bytes)).message();
    assertEquals(List.of(StunProtocol.ATTR_XOR_MAPPED_ADDRESS, StunProtocol.ATTR_SOFTWARE, StunProtocol.ATTR_FINGERPRINT),
        parsed.attributes().stream().map(StunAttribute::type).toList());
    assertEquals(Optional.of(sender), XorMappedAddress.decode(
        parsed.attribute(StunProtocol.ATTR_XOR_MAPPED_ADDRESS).orElseThrow().value(), ID));
  }

  @Test
  void unknownAttributeErrorLayout() {
    StunEncoder quiet = new StunEncoder(null);
    byte[] bytes = encode(quiet.unknownAttributes(UnpooledByteBufAllocator.DEFAULT, request(false),
        List.of(0x0003, 0x7F01, 0x0024)));
    assertEquals("011100" + "28" + "2112a442b7e7a701bc34d686fa87dfae"
        + "00090015" + "00000414" + HEX.formatHex("Unknown Attribute".getBytes()) + "000000"
        + "000a0006" + "00037f010024" + "0000", HEX.formatHex(bytes));
  }

  @Test
  void softwareLongerThanTheRfcAllowsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StunEncoder("x".repeat(128)));
    byte[] bytes = encode(new StunEncoder("").bindingSuccess(UnpooledByteBufAllocator.DEFAULT, request(false),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)));
    assertFalse(HEX.formatHex(bytes).contains("8022"), "empty SOFTWARE left out");
  }

  private static StunMessage request(boolean fingerprint) {
    StunDatagrams builder = StunDatagrams.message(StunProtocol.BINDING_REQUEST, ID);
    if (fingerprint) {
      builder.fingerprint();
    }
    return assertInstanceOf(ParseResult.Parsed.class, StunParser.parse(builder.build())).message();
  }

  private static byte[] encode(ByteBuf buffer) {
    try {
      return ByteBufUtil.getBytes(buffer);
    } finally {
      buffer.release();
    }
  }
}
