package dev.swarmcdn.peer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.protocol.tracker.SignalKind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's sessions on webrtc-java, with the ICE candidates they send and receive recorded:
 * how tests see which way peers met (host, server-reflexive, relay).
 */
public final class RecordingSessions implements SessionFactory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Candidate lines ({@code candidate:... typ relay ...}) this JVM's sessions sent. */
  public final List<String> sent = new CopyOnWriteArrayList<>();
  /** Candidate lines they received from their peers. */
  public final List<String> received = new CopyOnWriteArrayList<>();
  public final List<Boolean> initiators = new CopyOnWriteArrayList<>();
  /** Sessions that finished gathering (sent the end of candidates), whatever they gathered. */
  public final AtomicInteger gatheringEnded = new AtomicInteger();
  private final SessionFactory real;

  public RecordingSessions(SessionFactory real) {
    this.real = real;
  }

  @Override
  public PeerSession open(Spec spec) {
    initiators.add(spec.initiator());
    PeerSession session = real.open(new Spec(spec.initiator(), spec.iceServers(), (kind, data) -> {
      record(sent, kind, data);
      spec.sendSignal().accept(kind, data);
    }, spec.onChannel(), spec.onFailed(), spec.clock(), spec.relayOnly()));
    return new PeerSession() {
      @Override
      public void offer() {
        session.offer();
      }

      @Override
      public void signal(SignalKind kind, String data) {
        record(received, kind, data);
        session.signal(kind, data);
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }

  private void record(List<String> into, SignalKind kind, String data) {
    if (data == null) {
      if (into == sent && kind == SignalKind.ICE) {
        gatheringEnded.incrementAndGet();
      }
      return;
    }
    try {
      JsonNode json = JSON.readTree(data);
      if (kind == SignalKind.ICE) {
        if (!json.path("candidate").asText().isEmpty()) {
          into.add(json.path("candidate").asText());
        }
      } else {
        // Candidates may travel in the SDP too.
        json.path("sdp").asText().lines().filter(l -> l.startsWith("a=candidate:")).forEach(l -> into.add(l.substring(2)));
      }
    } catch (IOException e) {
      into.add("unreadable: " + data);
    }
  }
}
