package dev.swarmcdn.tracker.registry;

import dev.swarmcdn.protocol.registry.EdgeLoad;
import dev.swarmcdn.protocol.registry.EdgeRegistration;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The edges of one tracker instance, in memory. States are computed from the clock when asked, so
 * expiry needs no timer and a test moves the clock instead of waiting. Every operation holds the
 * registry's lock: callers may be on any event loop, and each operation is linear in the number of
 * edges at most, which {@code maxEdges} bounds.
 */
public final class LocalEdgeRegistry implements EdgeRegistry {

  /** An edge silent this long is dropped; it must register again. */
  public static final Duration FORGET_AFTER = Duration.ofHours(1);

  private record Record(EdgeRegistration registration, EdgeLoad load, long sequence, long heardAt) {}

  private final long expiryMillis;
  private final long forgetMillis;
  private final int maxEdges;
  private final LongSupplier nowMillis;
  private final TreeMap<String, Record> edges = new TreeMap<>();
  private long sequence;

  /**
   * @param expiry     an edge silent this long is out of rotation
   * @param forget     an edge silent this long is dropped (at least the expiry)
   * @param nowMillis  the clock
   */
  public LocalEdgeRegistry(Duration expiry, Duration forget, int maxEdges, LongSupplier nowMillis) {
    if (expiry.toMillis() < 1 || forget.compareTo(expiry) < 0 || maxEdges < 1) {
      throw new IllegalArgumentException("expiry must be positive, forget at least the expiry, maxEdges positive");
    }
    this.expiryMillis = expiry.toMillis();
    this.forgetMillis = forget.toMillis();
    this.maxEdges = maxEdges;
    this.nowMillis = nowMillis;
  }

  @Override
  public synchronized Future<EdgeEntry> register(EdgeRegistration registration) {
    long now = nowMillis.getAsLong();
    forgetSilent(now);
    if (!edges.containsKey(registration.id()) && edges.size() >= maxEdges) {
      return Future.failedFuture(new RegistryFullException(maxEdges));
    }
    Record record = new Record(registration, EdgeLoad.NONE, ++sequence, now);
    edges.put(registration.id(), record);
    return Future.succeededFuture(entry(record, now));
  }

  @Override
  public synchronized Future<Optional<EdgeEntry>> heartbeat(String id, EdgeLoad load) {
    long now = nowMillis.getAsLong();
    forgetSilent(now);
    Record known = edges.get(id);
    if (known == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Record record = new Record(known.registration(), load, ++sequence, now);
    edges.put(id, record);
    return Future.succeededFuture(Optional.of(entry(record, now)));
  }

  @Override
  public synchronized Future<Boolean> deregister(String id) {
    return Future.succeededFuture(edges.remove(id) != null);
  }

  @Override
  public synchronized Future<List<EdgeEntry>> edges() {
    long now = nowMillis.getAsLong();
    forgetSilent(now);
    return Future.succeededFuture(edges.values().stream().map(record -> entry(record, now)).toList());
  }

  @Override
  public synchronized Future<List<EdgeEntry>> healthy() {
    long now = nowMillis.getAsLong();
    return Future.succeededFuture(edges.values().stream()
        .map(record -> entry(record, now))
        .filter(entry -> entry.state() == EdgeState.HEALTHY).toList());
  }

  @Override
  public synchronized int count(EdgeState state) {
    long now = nowMillis.getAsLong();
    forgetSilent(now);
    return (int) edges.values().stream().filter(record -> entry(record, now).state() == state).count();
  }

  private void forgetSilent(long now) {
    edges.values().removeIf(record -> now - record.heardAt() >= forgetMillis);
  }

  private EdgeEntry entry(Record record, long now) {
    return EdgeEntry.at(record.registration(), record.load(), record.sequence(), record.heardAt(), now, expiryMillis);
  }
}
