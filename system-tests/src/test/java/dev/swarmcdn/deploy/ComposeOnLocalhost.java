package dev.swarmcdn.deploy;

import dev.swarmcdn.chaos.PartProcess;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers of compose.yaml run as processes on this machine, where no Docker engine runs them:
 * each with its service's command and environment, moved from the compose network to 127.0.0.1.
 * Its {@code --port} and {@code --stun-port} become free ports, {@code --host 0.0.0.0} becomes
 * 127.0.0.1, a URL naming a service or a published port names the service's new port, and an
 * absolute path lands under a folder of the service's own (its volumes). Nothing else changes.
 */
final class ComposeOnLocalhost implements AutoCloseable {
  /** compose.yaml's servers, in the order its depends_on starts them. */
  static final List<String> SERVERS = List.of("origin", "tracker", "edge-a", "edge-b");

  private final ComposeFile compose;
  private final Path dir;
  /** "SERVICE:PORT" and "127.0.0.1:PUBLISHED" -> "127.0.0.1:NEW". */
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private final Map<String, PartProcess> running = new LinkedHashMap<>();

  ComposeOnLocalhost(ComposeFile compose, Path dir) {
    this.compose = compose;
    this.dir = dir;
    for (String service : SERVERS) {
      List<String> command = compose.command(service);
      int composePort = Integer.parseInt(command.get(command.indexOf("--port") + 1));
      int port = freeTcpPort();
      ports.put(service, port);
      addresses.put(service + ":" + composePort, "127.0.0.1:" + port);
      for (int published : compose.publishedPorts(service)) {
        if (published == composePort) {
          addresses.put("127.0.0.1:" + published, "127.0.0.1:" + port);
        }
      }
    }
  }

  /** The service's command as it runs here. */
  List<String> localCommand(String service) throws IOException {
    List<String> command = compose.command(service);
    List<String> local = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      String option = i > 0 ? command.get(i - 1) : "";
      if (option.equals("--port")) {
        local.add(Integer.toString(ports.get(service)));
      } else if (option.equals("--stun-port")) {
        local.add(Integer.toString(freeUdpPort()));
      } else if (arg.equals("0.0.0.0")) {
        local.add("127.0.0.1");
      } else if (arg.startsWith("/")) {
        Path moved = dir.resolve(service).resolve(arg.substring(1));
        Files.createDirectories(moved);
        local.add(moved.toString());
      } else {
        for (Map.Entry<String, String> address : addresses.entrySet()) {
          arg = arg.replace("//" + address.getKey(), "//" + address.getValue());
        }
        local.add(arg);
      }
    }
    return local;
  }

  /** Starts every server in order, each awaited until it listens. */
  void start(Map<String, Map<String, String>> extraEnvironment) throws IOException {
    Files.createDirectories(dir.resolve("logs"));
    for (String service : SERVERS) {
      Map<String, String> environment = new HashMap<>(compose.environment(service));
      environment.putAll(extraEnvironment.getOrDefault(service, Map.of()));
      running.put(service, PartProcess.start(service, List.of(), localCommand(service), environment,
          dir.resolve("logs").resolve(service + ".log")));
    }
  }

  /** Where the service listens here. */
  String baseUrl(String service) {
    return "http://127.0.0.1:" + ports.get(service);
  }

  /** "SERVICE:PORT" of compose.yaml -> "127.0.0.1:PORT" here; null for an address of no server. */
  String localAddress(String composeAddress) {
    return addresses.get(composeAddress);
  }

  PartProcess process(String service) {
    return running.get(service);
  }

  static int freeTcpPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free TCP port", e);
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Stops the servers, last started first. */
  @Override
  public void close() throws InterruptedException {
    List<PartProcess> parts = new ArrayList<>(running.values());
    for (int i = parts.size() - 1; i >= 0; i--) {
      parts.get(i).close();
    }
  }
}
