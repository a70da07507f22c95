package dev.swarmcdn.tracker.ops;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.tracker.swarm.SwarmDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracker's meters for one protocol it speaks, each tagged {@code protocol} (Prometheus names:
 * {@code tracker_peers_connected}, {@code tracker_swarms}, {@code tracker_swarm_members},
 * {@code tracker_joins_total}, {@code tracker_signals_relayed_total{kind}},
 * {@code tracker_relay_latency_seconds}, {@code tracker_errors_total{code}},
 * {@code tracker_disconnects_total{reason}}). Every tag value is registered at start, so a rate of
 * zero shows as zero rather than as a missing series.
 */
public final class TrackerMetrics {

  /** Our own protocol, at {@code /ws}. */
  public static final String OURS = "swarmcdn";
  /** The WebTorrent tracker protocol. */
  public static final String WEBTORRENT = "webtorrent";

  /** Why the tracker itself closed a connection. */
  public enum Disconnect { BAD_FRAMES, TOO_LARGE, PROTOCOL_ERROR, PING_TIMEOUT, SLOW_READER }

  private final AtomicInteger connected = new AtomicInteger();
  private final Counter joins;
  private final Map<SignalKind, Counter> relayed = new EnumMap<>(SignalKind.class);
  private final Timer relayLatency;
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Counter declined;
  private final Counter recipientLimited;
  private final Map<Disconnect, Counter> disconnects = new EnumMap<>(Disconnect.class);

  /** @param protocol {@link #OURS} or {@link #WEBTORRENT}: the value of every meter's protocol tag */
  public TrackerMetrics(MeterRegistry registry, SwarmDirectory directory, String protocol) {
    Gauge.builder("tracker.peers.connected", connected, AtomicInteger::get).tag("protocol", protocol)
        .description("Open peer connections").register(registry);
    Gauge.builder("tracker.swarms", directory, SwarmDirectory::swarmCount).tag("protocol", protocol)
        .strongReference(true).description("Swarms with at least one member").register(registry);
    Gauge.builder("tracker.swarm.members", directory, SwarmDirectory::memberCount).tag("protocol", protocol)
        .strongReference(true).description("Swarm memberships (a peer in two swarms counts twice)")
        .register(registry);
    declined = Counter.builder("tracker.signals.declined").tag("protocol", protocol)
        .description("Signals not relayed because the recipient held all the relayed bytes it may unsent (sender told rate_limited)")
        .register(registry);
    recipientLimited = Counter.builder("tracker.signals.recipient.limited").tag("protocol", protocol)
        .description("Signals not relayed because the recipient was relayed all the signals it may this second "
            + "(--max-signals-per-peer-per-second; sender told rate_limited)")
        .register(registry);
    joins = Counter.builder("tracker.joins").tag("protocol", protocol)
        .description("Peers admitted into a swarm").register(registry);
    for (SignalKind kind : SignalKind.values()) {
      relayed.put(kind, Counter.builder("tracker.signals.relayed").tag("protocol", protocol)
          .tag("kind", kind.wireName()).description("Signals delivered to their peer").register(registry));
    }
    relayLatency = Timer.builder("tracker.relay.latency").tag("protocol", protocol)
        .description("From a signal's arrival to its hand-over to the receiving peer's connection")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      errors.put(code, Counter.builder("tracker.errors").tag("protocol", protocol).tag("code", code.wireName())
          .description("Error frames sent, by code").register(registry));
    }
    for (Disconnect reason : Disconnect.values()) {
      disconnects.put(reason, Counter.builder("tracker.disconnects").tag("protocol", protocol)
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .description("Connections the tracker closed, by reason").register(registry));
    }
  }

  public void connected() {
    connected.incrementAndGet();
  }

  public void disconnected() {
    connected.decrementAndGet();
  }

  public void joined() {
    joins.increment();
  }

  public void relayed(SignalKind kind, long nanos) {
    relayed.get(kind).increment();
    relayLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A signal not relayed because its recipient held all the relayed bytes it may. */
  public void declined() {
    declined.increment();
  }

  /** A signal not relayed because its recipient was relayed all the signals it may this second. */
  public void recipientLimited() {
    recipientLimited.increment();
  }

  public void refused(ErrorCode code) {
    errors.get(code).increment();
  }

  public void closedFor(Disconnect reason) {
    disconnects.get(reason).increment();
  }
}
