package dev.swarmcdn.edge.access.stun;

import static dev.swarmcdn.edge.access.stun.StunDatagrams.bindingRequest;
import static dev.swarmcdn.edge.access.stun.StunDatagrams.message;
import static dev.swarmcdn.edge.access.stun.StunDatagrams.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server on a real UDP socket on 127.0.0.1, fed hand-built datagrams. */
class StunServerTest {

  /** How long "no answer" is waited for: loopback answers take well under a millisecond. */
  private static final Duration SILENCE = Duration.ofMillis(300);

  private final Random random = new Random(8489);
  private SimpleMeterRegistry registry;
  private StunServer server;
  private StunUdpClient client;

  @BeforeEach
  void start() throws Exception {
    registry = new SimpleMeterRegistry();
    server = new StunServer(StunServerConfig.of("127.0.0.1", 0), registry)
        .start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = new StunUdpClient(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bindingRequestIsAnsweredWithTheSendersAddress() throws Exception {
    byte[] id = StunDatagrams.transactionId(random);
    byte[] answer = client.exchange(bindingRequest(id), id).orElseThrow(() -> new AssertionError("no answer"));

    StunMessage response = parsed(answer);
    assertEquals(StunProtocol.BINDING_SUCCESS, response.type());
    assertArrayEquals(id, response.transactionId());
    assertEquals(client.localAddress(), mappedAddress(response, id));
    assertEquals("swarmcdn-edge", new String(
        response.attribute(StunProtocol.ATTR_SOFTWARE).orElseThrow().value(), StandardCharsets.UTF_8));
    assertFalse(response.hasFingerprint(), "no FINGERPRINT asked for, none sent");
    assertEquals(1.0, requests(StunMetrics.RESPONSE_SUCCESS));
    assertEquals(0.0, totalDropped());
  }

  @Test
  void fingerprintedRequestGetsAFingerprintedAnswer() throws Exception {
    byte[] id = StunDatagrams.transactionId(random);
    byte[] request = message(0x0001, id).attribute(StunProtocol.ATTR_SOFTWARE, "test".getBytes()).fingerprint().build();
    byte[] answer = client.exchange(request, id).orElseThrow(() -> new AssertionError("no answer"));

    assertTrue(StunDatagrams.fingerprintValid(answer), "answer's FINGERPRINT checks out");
    StunMessage response = parsed(answer);
    assertEquals(StunProtocol.BINDING_SUCCESS, response.type());
    assertEquals(StunProtocol.ATTR_FINGERPRINT, response.attributes().get(response.attributes().size() - 1).type());
    assertEquals(client.localAddress(), mappedAddress(response, id));
  }

  @Test
  void unknownComprehensionRequiredAttributesGet420() throws Exception {
    byte[] id = StunDatagrams.transactionId(random);
    byte[] request = message(0x0001, id)
        .attribute(0x0003, new byte[4]) // CHANGE-REQUEST (RFC 5780), which this server does not do
        .attribute(0x7F01, new byte[] {1, 2, 3})
        .attribute(0xC001, new byte[8]) // comprehension-optional: ignored
        .attribute(0x0003, new byte[4]) // listed once however often it appears
        .fingerprint()
        .build();
    byte[] answer = client.exchange(request, id).orElseThrow(() -> new AssertionError("no answer"));

    StunMessage response = parsed(answer);
    assertEquals(StunProtocol.BINDING_ERROR, response.type());
    assertArrayEquals(id, response.transactionId());
    byte[] errorCode = response.attribute(StunProtocol.ATTR_ERROR_CODE).orElseThrow().value();
    assertEquals(420, (errorCode[2] & 0x07) * 100 + (errorCode[3] & 0xFF));
    byte[] unknown = response.attribute(StunProtocol.ATTR_UNKNOWN_ATTRIBUTES).orElseThrow().value();
    assertEquals(4, unknown.length);
    assertEquals(0x0003, u16(unknown, 0));
    assertEquals(0x7F01, u16(unknown, 2));
    assertTrue(response.attribute(StunProtocol.ATTR_XOR_MAPPED_ADDRESS).isEmpty());
    assertTrue(StunDatagrams.fingerprintValid(answer));
    assertEquals(1.0, requests(StunMetrics.RESPONSE_UNKNOWN_ATTRIBUTE));
    assertEquals(0.0, requests(StunMetrics.RESPONSE_SUCCESS));
  }

  static Stream<Arguments> unanswerable() {
    byte[] id = new byte[12];
    new Random(1).nextBytes(id);
    byte[] valid = bindingRequest(id);

    byte[] badCookie = valid.clone();
    badCookie[4] ^= 0x01;
    byte[] lengthTooLong = message(0x0001, id).attribute(0x8022, new byte[4]).build();
    lengthTooLong[3] = 12; // says 12 bytes of attributes, carries 8
    byte[] unaligned = Arrays.copyOf(valid, 22);
    unaligned[3] = 2;
    byte[] overrun = message(0x0001, id).attribute(0x8022, new byte[4]).build();
    overrun[22] = 0;
    overrun[23] = 8; // value claims 8 bytes, 4 are there
    byte[] badFingerprint = message(0x0001, id).fingerprint().build();
    badFingerprint[badFingerprint.length - 1] ^= 0x01;
    byte[] fingerprintNotLast = message(0x0001, id).fingerprint().build();
    fingerprintNotLast = Arrays.copyOf(fingerprintNotLast, fingerprintNotLast.length + 8);
    fingerprintNotLast[3] += 8;
    fingerprintNotLast[28] = (byte) 0x80;
    fingerprintNotLast[29] = 0x22;
    fingerprintNotLast[31] = 4;
    byte[] garbage = new byte[100];
    new Random(2).nextBytes(garbage);
    garbage[0] = (byte) 0xC7; // a leading bit set: never STUN
    // 65,500 bytes: close to the largest UDP payload IPv4 carries (65,507), valid but for its size.
    byte[] huge = message(0x0001, id).attribute(0x8022, new byte[65500 - 24]).build();

    return Stream.of(
        Arguments.of("bad magic cookie", badCookie, DropReason.BAD_COOKIE),
        Arguments.of("truncated header", Arrays.copyOf(valid, 19), DropReason.TRUNCATED),
        Arguments.of("empty datagram", new byte[0], DropReason.TRUNCATED),
        Arguments.of("length not matching the datagram", lengthTooLong, DropReason.BAD_LENGTH),
        Arguments.of("length not a multiple of 4", unaligned, DropReason.UNALIGNED_LENGTH),
        Arguments.of("attribute running past the end", overrun, DropReason.ATTRIBUTE_OVERRUN),
        Arguments.of("wrong FINGERPRINT", badFingerprint, DropReason.BAD_FINGERPRINT),
        Arguments.of("FINGERPRINT not last", fingerprintNotLast, DropReason.BAD_FINGERPRINT),
        Arguments.of("Binding success response", message(0x0101, id).build(), DropReason.NOT_REQUEST),
        Arguments.of("Binding error response", message(0x0111, id).build(), DropReason.NOT_REQUEST),
        Arguments.of("Binding indication", message(0x0011, id).build(), DropReason.NOT_REQUEST),
        Arguments.of("Allocate request (TURN)", message(0x0003, id).build(), DropReason.UNKNOWN_METHOD),
        Arguments.of("random garbage", garbage, DropReason.NOT_STUN),
        Arguments.of("65,500-byte datagram", huge, DropReason.OVERSIZED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unanswerable")
  void unanswerableDatagramsAreDroppedAndCountedAndTheServerGoesOn(String name, byte[] datagram,
      DropReason reason) throws Exception {
    client.send(datagram);
    Optional<byte[]> answer = client.receive(SILENCE);
    assertTrue(answer.isEmpty(), name + " got an answer");

    // The socket is read in order on one thread: once this is answered, the bad one was handled.
    byte[] id = StunDatagrams.transactionId(random);
    byte[] reply = client.exchange(bindingRequest(id), id).orElseThrow(() -> new AssertionError("server stopped answering"));
    assertEquals(StunProtocol.BINDING_SUCCESS, parsed(reply).type());

    assertEquals(1.0, dropped(reason), name + " counted as " + reason.tag());
    assertEquals(1.0, totalDropped(), "counted once, under one reason");
  }

  @Test
  void sizeLimitIsInclusive() throws Exception {
    byte[] id = StunDatagrams.transactionId(random);
    byte[] atLimit = message(0x0001, id).attribute(0x8022, new byte[1500 - 24]).build();
    assertEquals(1500, atLimit.length);
    assertTrue(client.exchange(atLimit, id).isPresent(), "a 1500-byte request is answered");

    byte[] overLimit = message(0x0001, id).attribute(0x8022, new byte[1504 - 24]).build();
    client.send(overLimit);
    assertTrue(client.receive(SILENCE).isEmpty(), "a 1504-byte request is not");
    byte[] next = StunDatagrams.transactionId(random);
    assertTrue(client.exchange(bindingRequest(next), next).isPresent());
    assertEquals(1.0, dropped(DropReason.OVERSIZED));
  }

  @Test
  void floodOfMutatedAndRandomDatagramsLeavesTheServerAnswering() throws Exception {
    StunFuzz fuzz = new StunFuzz(new Random(20240607L));
    int probes = 0;
    for (int i = 0; i < StunFuzz.ROUNDS; i++) {
      client.send(fuzz.next());
      // Paced so the socket buffer never overflows: then every datagram must be counted exactly once.
      if (i % 50 == 49) {
        byte[] id = StunDatagrams.transactionId(random);
        client.send(bindingRequest(id));
        probes++;
        assertTrue(client.receiveAnswer(id, Duration.ofSeconds(5)).isPresent(), "answered after " + (i + 1));
      }
    }
    byte[] id = StunDatagrams.transactionId(random);
    client.send(bindingRequest(id));
    probes++;
    byte[] answer = client.receiveAnswer(id, Duration.ofSeconds(5))
        .orElseThrow(() -> new AssertionError("no answer after the flood"));
    StunMessage response = parsed(answer);
    assertEquals(StunProtocol.BINDING_SUCCESS, response.type());
    assertEquals(client.localAddress(), mappedAddress(response, id));

    assertEquals(0.0, dropped(DropReason.INTERNAL_ERROR), "the handler never hit an exception");
    double handled = totalDropped() + requests(StunMetrics.RESPONSE_SUCCESS)
        + requests(StunMetrics.RESPONSE_UNKNOWN_ATTRIBUTE);
    assertEquals(StunFuzz.ROUNDS + probes, handled, "every datagram answered or counted as dropped");
    for (DropReason reason : List.of(DropReason.TRUNCATED, DropReason.NOT_STUN, DropReason.BAD_COOKIE,
        DropReason.UNALIGNED_LENGTH, DropReason.BAD_LENGTH, DropReason.ATTRIBUTE_OVERRUN,
        DropReason.BAD_FINGERPRINT, DropReason.NOT_REQUEST)) {
      assertTrue(dropped(reason) > 0, "the flood reached the " + reason.tag() + " check");
    }
  }

  @Test
  void stoppedServerReleasesItsPortAndStopIsIdempotent() throws Exception {
    InetSocketAddress bound = server.localAddress();
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThrows(IllegalStateException.class, server::port);
    StunServer again = new StunServer(StunServerConfig.of("127.0.0.1", bound.getPort()), new SimpleMeterRegistry())
        .start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      assertEquals(bound.getPort(), again.port(), "the port is free again");
    } finally {
      again.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void portInUseFailsStart() throws Exception {
    StunServer second = new StunServer(StunServerConfig.of("127.0.0.1", server.port()), new SimpleMeterRegistry());
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> second.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals("--stun-port " + server.port() + ": cannot listen on 127.0.0.1:" + server.port()
        + ": the port is already in use", failure.getCause().getMessage(), "named by its flag");
    assertInstanceOf(java.net.BindException.class, failure.getCause().getCause());
  }

  private static StunMessage parsed(byte[] datagram) {
    ParseResult result = StunParser.parse(datagram);
    assertInstanceOf(ParseResult.Parsed.class, result, "answer parses: " + result);
    return ((ParseResult.Parsed) result).message();
  }

  private static InetSocketAddress mappedAddress(StunMessage response, byte[] id) {
    byte[] value = response.attribute(StunProtocol.ATTR_XOR_MAPPED_ADDRESS).orElseThrow().value();
    return XorMappedAddress.decode(value, id).orElseThrow();
  }

  private double requests(String response) {
    return registry.get(StunMetrics.REQUESTS).tag("response", response).counter().count();
  }

  private double dropped(DropReason reason) {
    return registry.get(StunMetrics.DROPPED).tag("reason", reason.tag()).counter().count();
  }

  private double totalDropped() {
    return registry.get(StunMetrics.DROPPED).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
