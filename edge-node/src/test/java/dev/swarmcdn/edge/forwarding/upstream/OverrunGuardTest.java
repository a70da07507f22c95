package dev.swarmcdn.edge.forwarding.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard around Netty's own HTTP client codec, fed bytes as a socket would deliver them. */
class OverrunGuardTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();

  OverrunGuardTest() {
    channel.pipeline().addLast(OverrunGuard.CODEC, new HttpClientCodec());
    OverrunGuard.install(channel.pipeline());
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x"));
    ReferenceCountUtil.release(channel.readOutbound());
  }

  /** Delivers each string as one read; returns the kinds of HTTP object that got past the guard. */
  private List<String> read(String... reads) {
    for (String bytes : reads) {
      // Not writeInbound: it would throw what the guard raised before the test looks at what passed.
      channel.pipeline().fireChannelRead(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
      channel.pipeline().fireChannelReadComplete();
    }
    List<String> passed = new ArrayList<>();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      passed.add(msg instanceof LastHttpContent ? "end" : msg instanceof HttpResponse head
          ? Integer.toString(head.status().code()) : "content");
      ReferenceCountUtil.release(msg);
    }
    return passed;
  }

  private static String ok(String body, int contentLength) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + contentLength + "\r\n\r\n" + body;
  }

  @Test
  void anExactResponseEnds() {
    assertEquals(List.of("200", "end"), read(ok("01234", 5)));
    channel.checkException();
  }

  @Test
  void bytesAfterTheEndFailTheResponseInsteadOfEndingIt() {
    assertEquals(List.of("200"), read(ok("0123456789abcdef", 5)));
    assertInstanceOf(OverrunGuard.OverrunException.class, assertThrows(Exception.class, channel::checkException));
  }

  @Test
  void aBodyArrivingInPiecesEndsNormally() {
    assertEquals(List.of("200", "content", "content", "end"), read(ok("01", 5), "23", "4"));
    channel.checkException();
  }

  @Test
  void anInterimResponseIsFollowedByTheFinalOneInTheSameRead() {
    assertEquals(List.of("103", "end", "200", "end"),
        read("HTTP/1.1 103 Early Hints\r\nLink: </a.m4s>; rel=preload\r\n\r\n" + ok("01234", 5)));
    channel.checkException();
  }

  @Test
  void aChunkedBodyFollowedByMoreFails() {
    List<String> passed = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n0\r\n\r\nHTTP/1.1 200");
    assertEquals(List.of("200", "content"), passed);
    assertInstanceOf(OverrunGuard.OverrunException.class, assertThrows(Exception.class, channel::checkException));
  }
}
