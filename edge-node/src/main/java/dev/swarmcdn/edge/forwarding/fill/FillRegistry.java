package dev.swarmcdn.edge.forwarding.fill;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.PurgeLog;
import dev.swarmcdn.edge.forwarding.upstream.Upstream;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import dev.swarmcdn.edge.forwarding.upstream.WholeBody;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Request coalescing: at most one upstream fetch per key at a time. Every request that misses while
 * a fetch runs joins it instead of starting another, unless the object was purged since that fetch
 * began: a purge wins, and later requests get a fetch of their own.
 */
public final class FillRegistry {

  /** A fill joined by one request, with the reader (and body reference) taken for that request. */
  public record Joined(Fill fill, Fill.Reader reader, boolean started) {}

  private final ConcurrentHashMap<CacheKey, Fill> inFlight = new ConcurrentHashMap<>();
  private final UpstreamClient upstream;
  private final ByteBufAllocator allocator;
  private final LongSupplier clock;
  private final PurgeLog purges;
  private final Counter started;
  private final Counter coalesced;

  public FillRegistry(UpstreamClient upstream, ByteBufAllocator allocator, LongSupplier clock,
      PurgeLog purges, MeterRegistry registry) {
    this.upstream = upstream;
    this.allocator = allocator;
    this.clock = clock;
    this.purges = purges;
    this.started = Counter.builder("edge_upstream_fills_total")
        .description("Upstream fetches started").register(registry);
    this.coalesced = Counter.builder("edge_coalesced_waiters_total")
        .description("Requests that joined a fetch already running instead of starting one")
        .register(registry);
    Gauge.builder("edge_fills_in_flight", inFlight, ConcurrentHashMap::size)
        .description("Upstream fetches running now").register(registry);
  }

  /**
   * Joins the fill running for {@code key}, or starts one. A running fill is not joined once it
   * passes its body through (the bytes it dropped are gone) or a purge overtook it.
   *
   * @param headers    request headers for a new fetch (conditionals, hop marker)
   * @param retention  for a new fill: which bodies it keeps whole for the cache
   * @param peerCheck  for a new fill whose first upstream is another edge: what its body must pass
   *                   before anyone sees it (the rest of {@code upstreams} is tried otherwise);
   *                   null: none
   * @param onSettled  for a new fill only: called once it completed or failed, before later
   *                   requests stop finding it here; takes over the fill's own body reference
   */
  public Joined join(CacheKey key, List<Upstream> upstreams, MultiMap headers, Retention retention,
      PeerCheck peerCheck, Consumer<Fill> onSettled) {
    Fill.Reader[] reader = {null};
    boolean[] created = {false};
    Fill fill = inFlight.compute(key, (k, running) -> {
      if (running != null && !purges.purgedSince(k, running.purgeMark())) {
        reader[0] = running.join();
        if (reader[0] != null) {
          return running;
        }
      }
      Fill fresh = new Fill(k, allocator, clock, purges.mark(), retention);
      reader[0] = fresh.join();
      created[0] = true;
      return fresh;
    });
    if (!created[0]) {
      coalesced.increment();
      return new Joined(fill, reader[0], false);
    }
    started.increment();
    fill.done().onComplete(ignored -> {
      try {
        onSettled.accept(fill);
      } finally {
        inFlight.remove(key, fill);
      }
    });
    if (peerCheck != null && upstreams.size() > 1) {
      fromPeerFirst(fill, upstreams, headers, peerCheck, retention.maxBytes());
    } else {
      fetch(fill, upstreams, headers);
    }
    return new Joined(fill, reader[0], true);
  }

  private void fetch(Fill fill, List<Upstream> upstreams, MultiMap headers) {
    upstream.get(upstreams, fill.key().pathAndQuery(), headers).onComplete(outcome -> {
      if (outcome.succeeded()) {
        fill.receive(outcome.result());
      } else {
        fill.fail(outcome.cause());
      }
    });
  }

  /**
   * Asks the peer edge alone and reads its answer whole; the fill gets it only once it passed the
   * check. Anything else (no answer, not 200, too large, cut short, refused by the check) sends the
   * fill to the other upstreams, the origins: the peer's bytes are never seen by a client.
   */
  private void fromPeerFirst(Fill fill, List<Upstream> upstreams, MultiMap headers, PeerCheck peerCheck,
      long maxBytes) {
    List<Upstream> peer = upstreams.subList(0, 1);
    List<Upstream> origins = upstreams.subList(1, upstreams.size());
    upstream.get(peer, fill.key().pathAndQuery(), headers).onComplete(answered -> {
      if (answered.failed()) {
        fetch(fill, origins, headers);
        return;
      }
      HttpClientResponse response = answered.result();
      if (response.statusCode() != 200) {
        response.request().reset();
        fetch(fill, origins, headers);
        return;
      }
      WholeBody.read(response, maxBytes)
          .compose(body -> peerCheck.check(body).map(passed -> passed ? body : null))
          .onComplete(checked -> {
            if (checked.succeeded() && checked.result() != null) {
              fill.receiveWhole(response.statusCode(), response.headers(), checked.result());
            } else {
              fetch(fill, origins, headers);
            }
          });
    });
  }

  public int inFlight() {
    return inFlight.size();
  }
}
