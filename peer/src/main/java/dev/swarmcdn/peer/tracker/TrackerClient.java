package dev.swarmcdn.peer.tracker;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.ProtocolException;
import dev.swarmcdn.protocol.tracker.ServerMessage;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.protocol.tracker.TrackerCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker protocol (docs/PROTOCOL.md, "Tracker protocol") over one WebSocket, as the browser's
 * TrackerClient: join, leave, signal, have, ping. Reconnects with exponential backoff and joins its
 * swarms again (with the newest segment it holds); given several trackers, each reconnect goes to
 * the next one in turn, so a dead tracker costs one backoff. Keeps the connection alive with pings
 * when it has nothing else to say. Confined to the engine's thread: create and use it on the
 * engine's Vert.x context.
 */
public final class TrackerClient {
  private static final Logger LOG = LoggerFactory.getLogger(TrackerClient.class);
  private static final long MIN_BACKOFF_MS = 1000;
  private static final long MAX_BACKOFF_MS = 30_000;
  /** How often a viewer reports its figures to the swarm it joined last (docs/PROTOCOL.md, "stats"). */
  static final long REPORT_INTERVAL_MS = 5_000;

  /** A viewer's counters as a report to {@code swarm}; an edge seeder has none. */
  public interface Figures {
    ClientMessage.Stats to(SwarmId swarm);
  }

  /** What the tracker says, on the engine's thread. */
  public interface Events {
    default void welcome(String peerId) {
    }

    default void peers(SwarmId swarm, List<PeerInfo> peers) {
    }

    default void signal(String from, SwarmId swarm, SignalKind kind, String data) {
    }

    /** The tracker assigned live segment {@code sequence} to {@code fetchers} (docs/PROTOCOL.md, "Steering"). */
    default void assigned(SwarmId swarm, long sequence, List<String> fetchers) {
    }

    default void state(TrackerState state) {
    }

    /** Welcomed by another tracker than the one before: the swarms are joined again there. */
    default void movedTo(URI tracker) {
    }
  }

  private final List<URI> urls;
  /** The tracker tried now, an index into {@link #urls}. */
  private int current;
  /** The tracker that last welcomed us, or null. */
  private URI welcomedBy;
  private final String token;
  private final String edgeSecret;
  private final Clock clock;
  private final Events events;
  private final WebSocketClient client;
  private final Map<SwarmId, JoinDetails> joined = new LinkedHashMap<>();
  private WebSocket socket;
  private String peerId;
  private TrackerState state = TrackerState.CLOSED;
  private boolean stopped;
  private long backoff = MIN_BACKOFF_MS;
  private long pingIntervalMs = 20_000;
  private long lastSentAt;
  private Clock.Timer pingTimer;
  private Clock.Timer retryTimer;
  private Figures figures;
  private Clock.Timer reportTimer;
  /** The swarm joined last: the one reports go to. */
  private SwarmId latest;
  /** Whether this connection carries a report yet: its first, right after joining, is the tracker's baseline. */
  private boolean reported;

  /**
   * @param urls        the trackers' WebSocket URLs, tried in turn (one or more)
   * @param token       the join token, or null where the tracker is open
   * @param edgeSecret  the edge secret an edge seeder's connection carries, or null for a viewer
   * @param trust       whom it believes over {@code wss://}
   */
  public TrackerClient(Vertx vertx, List<URI> urls, String token, String edgeSecret, TlsTrust trust, Clock clock,
      Events events) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no tracker URL");
    }
    for (URI url : urls) {
      if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
        throw new IllegalArgumentException("a tracker URL is ws:// or wss://, not " + url);
      }
    }
    this.urls = List.copyOf(urls);
    this.token = token;
    this.edgeSecret = edgeSecret;
    this.clock = clock;
    this.events = events;
    this.client = vertx.createWebSocketClient(trust.applyTo(new WebSocketClientOptions()
        .setMaxFrameSize(64 * 1024).setMaxMessageSize(64 * 1024).setConnectTimeout(10_000)));
  }

  public TrackerState state() {
    return state;
  }

  /** Reports {@code figures} every {@link #REPORT_INTERVAL_MS} while joined, and right after joining. */
  public void reportFiguresOf(Figures figures) {
    this.figures = figures;
  }

  /** Our id in the tracker's swarms, or null while not connected. */
  public String peerId() {
    return peerId;
  }

  public void connect() {
    if (stopped || socket != null || state == TrackerState.CONNECTING) {
      return;
    }
    setState(TrackerState.CONNECTING);
    URI url = urls.get(current);
    boolean secure = "wss".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(url.getHost()).setPort(port)
        .setSsl(secure).setURI(path);
    if (edgeSecret != null) {
      connect.addHeader("Authorization", "Bearer " + edgeSecret);
    }
    client.connect(connect)
        .onComplete(result -> {
          if (result.succeeded()) {
            // Handlers go on before this callback returns: the tracker's welcome may come next.
            opened(result.result());
            return;
          }
          clock.execute(() -> {
            LOG.debug("tracker {}: {}", url, result.cause().getMessage());
            scheduleReconnect();
          });
        });
  }

  private void opened(WebSocket opened) {
    opened.textMessageHandler(text -> clock.execute(() -> receive(text)));
    opened.closeHandler(ignored -> clock.execute(() -> {
      if (socket != opened) {
        return;
      }
      LOG.info("tracker connection closed ({})", opened.closeStatusCode());
      dropSocket();
      scheduleReconnect();
    }));
    opened.exceptionHandler(e -> LOG.debug("tracker socket: {}", e.getMessage()));
    clock.execute(() -> {
      if (stopped) {
        opened.close();
      } else {
        socket = opened;
      }
    });
  }

  /** Joins a swarm (again: refreshes the entry and asks for a fresh peer list). */
  public void join(SwarmId swarm, JoinDetails details) {
    joined.put(swarm, details.withoutReports());
    latest = swarm;
    send(new ClientMessage.Join(swarm, details.edge(), details.uploadSlots(), details.have(), token,
        details.reports(), details.live(), details.seeder()));
    if (figures != null && !reported) {
      reported = send(figures.to(swarm));
    }
  }

  public void leave(SwarmId swarm) {
    if (joined.remove(swarm) != null) {
      send(new ClientMessage.Leave(swarm));
      if (swarm.equals(latest)) {
        latest = joined.keySet().stream().reduce((first, second) -> second).orElse(null);
      }
    }
  }

  /** {@code data} is JSON text, or null for the end of candidates (sent as JSON {@code null}). */
  public void signal(String to, SwarmId swarm, SignalKind kind, String data) {
    send(new ClientMessage.Signal(to, swarm, kind, data == null ? "null" : data));
  }

  public void have(SwarmId swarm, long newest) {
    JoinDetails details = joined.get(swarm);
    if (details == null) {
      return;
    }
    joined.put(swarm, details.withHave(newest));
    send(new ClientMessage.Have(swarm, newest));
  }

  /** Closes the connection for good. */
  public void close() {
    stopped = true;
    if (retryTimer != null) {
      retryTimer.cancel();
    }
    WebSocket open = socket;
    dropSocket();
    if (open != null) {
      open.close((short) 1000);
    }
    setState(TrackerState.CLOSED);
    client.close();
  }

  private boolean send(ClientMessage message) {
    if (state != TrackerState.OPEN || socket == null) {
      return false;
    }
    socket.writeTextMessage(TrackerCodec.encode(message));
    lastSentAt = clock.now();
    return true;
  }

  private void receive(String text) {
    ServerMessage message;
    try {
      message = TrackerCodec.decodeServer(text);
    } catch (ProtocolException e) {
      LOG.warn("tracker sent a frame this peer does not read: {}", e.getMessage());
      return;
    }
    if (message instanceof ServerMessage.Welcome welcome) {
      peerId = welcome.peerId();
      pingIntervalMs = welcome.pingIntervalMs() > 0 ? welcome.pingIntervalMs() : pingIntervalMs;
      backoff = MIN_BACKOFF_MS;
      setState(TrackerState.OPEN);
      URI by = urls.get(current);
      if (welcomedBy != null && !welcomedBy.equals(by)) {
        LOG.info("tracker {} welcomed us after {}; joining our swarms there", by, welcomedBy);
        events.movedTo(by);
      }
      welcomedBy = by;
      events.welcome(peerId);
      new LinkedHashMap<>(joined).forEach(this::join);
      schedulePing();
      scheduleReport();
    } else if (message instanceof ServerMessage.Peers peers) {
      LOG.debug("tracker lists {} peers in {}", peers.peers().size(), peers.swarm());
      events.peers(peers.swarm(), peers.peers());
    } else if (message instanceof ServerMessage.Signal signal) {
      events.signal(signal.from(), signal.swarm(), signal.kind(), signal.data());
    } else if (message instanceof ServerMessage.Assign assign) {
      events.assigned(assign.swarm(), assign.sequence(), assign.fetchers());
    } else if (message instanceof ServerMessage.ErrorFrame error) {
      LOG.warn("tracker refused {}: {} ({})", error.ref() == null ? "a frame" : error.ref(), error.code(),
          error.message());
    }
  }

  private void schedulePing() {
    long half = pingIntervalMs / 2;
    pingTimer = clock.schedule(half, () -> {
      if (state != TrackerState.OPEN) {
        return;
      }
      if (clock.now() - lastSentAt >= half) {
        send(new ClientMessage.Ping());
      }
      schedulePing();
    });
  }

  private void scheduleReport() {
    if (figures == null) {
      return;
    }
    reportTimer = clock.schedule(REPORT_INTERVAL_MS, () -> {
      if (state != TrackerState.OPEN) {
        return;
      }
      if (latest != null) {
        reported |= send(figures.to(latest));
      }
      scheduleReport();
    });
  }

  private void dropSocket() {
    socket = null;
    peerId = null;
    reported = false;
    if (reportTimer != null) {
      reportTimer.cancel();
      reportTimer = null;
    }
    if (pingTimer != null) {
      pingTimer.cancel();
      pingTimer = null;
    }
  }

  private void scheduleReconnect() {
    if (stopped) {
      return;
    }
    setState(TrackerState.CLOSED);
    current = (current + 1) % urls.size();
    long wait = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble()));
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    retryTimer = clock.schedule(wait, this::connect);
  }

  private void setState(TrackerState next) {
    if (state != next) {
      state = next;
      events.state(next);
    }
  }
}
