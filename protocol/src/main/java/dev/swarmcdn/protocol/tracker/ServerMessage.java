package dev.swarmcdn.protocol.tracker;

import java.util.List;
import java.util.Objects;

/** A frame the tracker sends a peer (docs/PROTOCOL.md, "Tracker protocol"). */
public sealed interface ServerMessage
    permits ServerMessage.Welcome, ServerMessage.Peers, ServerMessage.Signal, ServerMessage.Assign,
        ServerMessage.Pong, ServerMessage.ErrorFrame {

  /** The frame's {@code type}. */
  String type();

  /**
   * The first frame on every connection.
   *
   * @param pingIntervalMs  send at least one frame this often; a connection silent for a few
   *                        intervals is closed
   */
  record Welcome(String peerId, long pingIntervalMs) implements ServerMessage {
    public static final String TYPE = "welcome";

    public Welcome {
      WireRules.peerId("peerId", peerId);
      if (WireRules.count("pingIntervalMs", pingIntervalMs) == 0) {
        throw new IllegalArgumentException("pingIntervalMs must be positive");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** Peers to connect to, best first. */
  record Peers(SwarmId swarm, List<PeerInfo> peers) implements ServerMessage {
    public static final String TYPE = "peers";

    public Peers {
      Objects.requireNonNull(swarm, "swarm");
      peers = List.copyOf(peers);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** A signal relayed from another peer; {@code from} is filled in by the tracker, never the sender. */
  record Signal(String from, SwarmId swarm, SignalKind kind, String data) implements ServerMessage {
    public static final String TYPE = "signal";

    public Signal {
      WireRules.peerId("from", from);
      Objects.requireNonNull(swarm, "swarm");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Steering (docs/PROTOCOL.md, "Steering"): {@code fetchers} fetch live segment {@code sequence}
   * over HTTP as soon as their playlist lists it; everyone else takes it from the swarm.
   *
   * @param fetchers  1 to {@value WireRules#MAX_FETCHERS} distinct peer ids
   */
  record Assign(SwarmId swarm, long sequence, List<String> fetchers) implements ServerMessage {
    public static final String TYPE = "assign";

    public Assign {
      Objects.requireNonNull(swarm, "swarm");
      WireRules.count("sequence", sequence);
      fetchers = List.copyOf(fetchers);
      if (fetchers.isEmpty() || fetchers.size() > WireRules.MAX_FETCHERS) {
        throw new IllegalArgumentException("fetchers holds 1 to " + WireRules.MAX_FETCHERS + " peer ids");
      }
      fetchers.forEach(id -> WireRules.peerId("fetchers", id));
      if (java.util.Set.copyOf(fetchers).size() != fetchers.size()) {
        throw new IllegalArgumentException("fetchers must not name a peer twice");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  record Pong() implements ServerMessage {
    public static final String TYPE = "pong";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A refused frame. The connection stays open unless the tracker closes it right after.
   *
   * @param ref  the {@code type} of the refused frame when known, or null
   */
  record ErrorFrame(ErrorCode code, String message, String ref) implements ServerMessage {
    public static final String TYPE = "error";

    public ErrorFrame {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
