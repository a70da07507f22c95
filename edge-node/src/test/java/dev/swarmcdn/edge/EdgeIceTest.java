package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import io.vertx.core.json.JsonArray;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge offers its own STUN endpoint and advertises it, with any TURN servers, to viewers. */
class EdgeIceTest {

  private RunningEdge running;
  private EdgeServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    running = RunningEdge.start(EdgeConfig.builder("http://127.0.0.1:9").port(0)
        .ice(new IceConfig(0, 1500, null, List.of("turn:turn.example.net:3478?transport=udp"), "viewer", "pw"))
        .build());
    edge = running.server();
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  @Test
  void iceServersNameTheBoundStunPortAndTheTurnServers() throws Exception {
    Response answer = client.get(EdgeServer.ICE_SERVERS_PATH);
    assertEquals(200, answer.status());
    JsonArray servers = new JsonArray(new String(answer.body()));
    assertEquals("stun:127.0.0.1:" + edge.stunPort(), servers.getJsonObject(0).getJsonArray("urls").getString(0));
    assertEquals("viewer", servers.getJsonObject(1).getString("username"));
    assertTrue(edge.stunPort() > 0);
  }

  @Test
  void theAdvertisedStunEndpointAnswersABindingRequest() throws Exception {
    ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
        .putInt(0x2112A442).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(5_000);
      socket.send(new DatagramPacket(request.array(), 20, InetAddress.getLoopbackAddress(), edge.stunPort()));
      DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
      socket.receive(reply);
      ByteBuffer response = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
      assertEquals(0x0101, response.getShort() & 0xffff, "Binding success");
      response.getShort();
      assertEquals(0x2112A442, response.getInt());
      byte[] transaction = new byte[12];
      response.get(transaction);
      assertEquals(1, transaction[0]);
      assertEquals(12, transaction[11]);
    }
  }
}
