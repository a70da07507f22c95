package dev.swarmcdn.tracker.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.tracker.registry.EdgeEntry;
import dev.swarmcdn.tracker.registry.EdgeRegistry;
import dev.swarmcdn.tracker.registry.EdgeState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The edges as every tracker of the cluster sees them: one Hazelcast map entry per edge, so an edge
 * may register with one instance and heartbeat to another. Registrations and heartbeats are entry
 * processors (the edge's sequence moves on atomically). An entry holds all the edge registered, its
 * ICE servers too, so every instance hands out the same ones. The map's time-to-live, renewed by
 * every write, forgets an edge silent for {@link HazelcastSetup#FORGET_EDGES_AFTER}. The registry is small
 * (at most {@code maxEdges}) and read on every route, so listing reads the whole map.
 */
final class ClusteredEdgeRegistry implements EdgeRegistry {

  static final String MAP = "swarmcdn.tracker.edges";
  private static final long SNAPSHOT_MILLIS = 1_000;

  /** An edge as the cluster stores it. */
  record EdgeRecord(String id, String url, long capacity, List<IceServer> iceServers, long connections,
      double egressBytesPerSecond, double hitRatio, long sequence, long heardAt) implements Serializable {

    EdgeEntry entry(long now, long expiryMillis) {
      return EdgeEntry.at(new EdgeRegistration(id, url, capacity, iceServers),
          new EdgeLoad(connections, egressBytesPerSecond, hitRatio), sequence, heardAt, now, expiryMillis);
    }
  }

  /** Stores a registration, heard now, with no load yet; the sequence moves on from any earlier entry. */
  record Register(String url, long capacity, List<IceServer> iceServers, long now)
      implements EntryProcessor<String, EdgeRecord, EdgeRecord> {
    @Override
    public EdgeRecord process(Map.Entry<String, EdgeRecord> entry) {
      long sequence = entry.getValue() == null ? 1 : entry.getValue().sequence() + 1;
      EdgeRecord record = new EdgeRecord(entry.getKey(), url, capacity, iceServers, 0, 0, 0, sequence, now);
      entry.setValue(record);
      return record;
    }
  }

  /** Records a heartbeat of a registered edge; null, changing nothing, for an unknown one. */
  record Heartbeat(long connections, double egressBytesPerSecond, double hitRatio, long now)
      implements EntryProcessor<String, EdgeRecord, EdgeRecord> {
    @Override
    public EdgeRecord process(Map.Entry<String, EdgeRecord> entry) {
      EdgeRecord known = entry.getValue();
      if (known == null) {
        return null;
      }
      EdgeRecord record = new EdgeRecord(known.id(), known.url(), known.capacity(), known.iceServers(),
          connections, egressBytesPerSecond, hitRatio, known.sequence() + 1, now);
      entry.setValue(record);
      return record;
    }
  }

  private final Vertx vertx;
  private final IMap<String, EdgeRecord> edges;
  private final long expiryMillis;
  private final int maxEdges;
  private final LongSupplier nowMillis;
  /** The last listing, for gauges, which must answer at once. */
  private final AtomicReference<List<EdgeRecord>> snapshot = new AtomicReference<>(List.of());
  private final AtomicLong snapshotAt = new AtomicLong(Long.MIN_VALUE);

  ClusteredEdgeRegistry(Vertx vertx, HazelcastInstance hazelcast, Duration expiry, int maxEdges, LongSupplier nowMillis) {
    this.vertx = vertx;
    this.edges = hazelcast.getMap(MAP);
    this.expiryMillis = expiry.toMillis();
    this.maxEdges = maxEdges;
    this.nowMillis = nowMillis;
  }

  @Override
  public Future<EdgeEntry> register(EdgeRegistration registration) {
    long now = nowMillis.getAsLong();
    // The size check and the write are two steps: two instances may together pass the bound by one
    // registration each, which a bound against a misconfigured fleet can afford.
    return vertx.executeBlocking(() -> {
      if (!edges.containsKey(registration.id()) && edges.size() >= maxEdges) {
        throw new RegistryFullException(maxEdges);
      }
      return edges.executeOnKey(registration.id(), new Register(registration.url(), registration.capacity(),
              registration.iceServers(), now))
          .entry(now, expiryMillis);
    }, false);
  }

  @Override
  public Future<Optional<EdgeEntry>> heartbeat(String id, EdgeLoad load) {
    long now = nowMillis.getAsLong();
    return OnCaller.future(edges.submitToKey(id,
            new Heartbeat(load.connections(), load.egressBytesPerSecond(), load.hitRatio(), now)))
        .map(record -> Optional.ofNullable(record).map(stored -> stored.entry(now, expiryMillis)));
  }

  @Override
  public Future<Boolean> deregister(String id) {
    return OnCaller.future(edges.removeAsync(id)).map(removed -> removed != null);
  }

  @Override
  public Future<List<EdgeEntry>> edges() {
    return list().map(records -> {
      long now = nowMillis.getAsLong();
      return records.stream().map(record -> record.entry(now, expiryMillis)).toList();
    });
  }

  @Override
  public Future<List<EdgeEntry>> healthy() {
    return edges().map(all -> all.stream().filter(entry -> entry.state() == EdgeState.HEALTHY).toList());
  }

  /** From the last listing, refreshed in the background when older than a second. */
  @Override
  public int count(EdgeState state) {
    long now = nowMillis.getAsLong();
    long at = snapshotAt.get();
    if (now - at >= SNAPSHOT_MILLIS && snapshotAt.compareAndSet(at, now)) {
      list();
    }
    return (int) snapshot.get().stream().filter(record -> record.entry(now, expiryMillis).state() == state).count();
  }

  private Future<List<EdgeRecord>> list() {
    return vertx.executeBlocking(() -> {
      List<EdgeRecord> records = edges.values().stream().sorted(Comparator.comparing(EdgeRecord::id)).toList();
      snapshot.set(records);
      return records;
    }, false);
  }
}
