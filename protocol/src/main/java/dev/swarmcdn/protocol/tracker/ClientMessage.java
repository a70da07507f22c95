package dev.swarmcdn.protocol.tracker;

import java.util.List;
import java.util.Objects;

/** A frame a peer sends the tracker (docs/PROTOCOL.md, "Tracker protocol"). */
public sealed interface ClientMessage
    permits ClientMessage.Join, ClientMessage.Leave, ClientMessage.Signal, ClientMessage.Have,
        ClientMessage.Stats, ClientMessage.Ping {

  /** The frame's {@code type}. */
  String type();

  /**
   * Enter a swarm, or refresh this peer's entry in it; answered with {@code peers} either way.
   *
   * @param edge         id or base URL of the edge the viewer loads segments from
   * @param uploadSlots  how many more peers it can serve now, 0 to 1024
   * @param have         newest segment sequence it holds, or null
   * @param token        JWT granting the stream, or null where the tracker is open
   * @param reports      peers of the swarm it dropped for cause since its previous join, at most
   *                     {@value WireRules#MAX_REPORTS}; empty when none
   * @param live         the viewer plays a live playlist: the tracker may steer the swarm
   * @param seeder       an edge seeder joins; only on a connection that carried the edge secret
   */
  record Join(SwarmId swarm, String edge, int uploadSlots, Long have, String token, List<PeerReport> reports,
      boolean live, boolean seeder) implements ClientMessage {
    public static final String TYPE = "join";

    public Join {
      Objects.requireNonNull(swarm, "swarm");
      WireRules.printable("edge", edge, WireRules.MAX_EDGE_LENGTH);
      if (uploadSlots < 0 || uploadSlots > WireRules.MAX_UPLOAD_SLOTS) {
        throw new IllegalArgumentException("uploadSlots must be 0 to " + WireRules.MAX_UPLOAD_SLOTS);
      }
      if (have != null) {
        WireRules.count("have", have);
      }
      if (token != null) {
        WireRules.printable("token", token, WireRules.MAX_TOKEN_LENGTH);
      }
      reports = List.copyOf(reports);
      if (reports.size() > WireRules.MAX_REPORTS) {
        throw new IllegalArgumentException("reports holds at most " + WireRules.MAX_REPORTS + " entries");
      }
    }

    /** A viewer's join, not steered. */
    public Join(SwarmId swarm, String edge, int uploadSlots, Long have, String token, List<PeerReport> reports) {
      this(swarm, edge, uploadSlots, have, token, reports, false, false);
    }

    /** A join that reports nobody. */
    public Join(SwarmId swarm, String edge, int uploadSlots, Long have, String token) {
      this(swarm, edge, uploadSlots, have, token, List.of());
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  record Leave(SwarmId swarm) implements ClientMessage {
    public static final String TYPE = "leave";

    public Leave {
      Objects.requireNonNull(swarm, "swarm");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * WebRTC signalling for another peer of the same swarm.
   *
   * @param data  any JSON value, as compact JSON text (an SDP description, a candidate, or
   *              {@code null} for the end of candidates); the tracker relays the same JSON value
   */
  record Signal(String to, SwarmId swarm, SignalKind kind, String data) implements ClientMessage {
    public static final String TYPE = "signal";

    public Signal {
      WireRules.peerId("to", to);
      Objects.requireNonNull(swarm, "swarm");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The newest segment sequence this peer now holds in the swarm. */
  record Have(SwarmId swarm, long newest) implements ClientMessage {
    public static final String TYPE = "have";

    public Have {
      Objects.requireNonNull(swarm, "swarm");
      WireRules.count("newest", newest);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * What this peer's player got and gave since it started, reported to a swarm it is in: the
   * tracker adds what grew since the peer's previous report to the swarm's figures. Counts only.
   *
   * @param http               segment bytes delivered to the player over HTTP
   * @param p2p                from viewers over data channels
   * @param seeder             from edge seeders over data channels (edge bytes)
   * @param uploaded           segment bytes served to other viewers
   * @param stalls             times playback stopped for want of data
   * @param integrityFailures  segments from peers that failed their check
   */
  record Stats(SwarmId swarm, long http, long p2p, long seeder, long uploaded, long stalls, long integrityFailures)
      implements ClientMessage {
    public static final String TYPE = "stats";

    public Stats {
      Objects.requireNonNull(swarm, "swarm");
      WireRules.count("http", http);
      WireRules.count("p2p", p2p);
      WireRules.count("seeder", seeder);
      WireRules.count("uploaded", uploaded);
      WireRules.count("stalls", stalls);
      WireRules.count("integrityFailures", integrityFailures);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** Keeps the connection alive; answered with {@code pong}. */
  record Ping() implements ClientMessage {
    public static final String TYPE = "ping";

    @Override
    public String type() {
      return TYPE;
    }
  }
}
