package dev.swarmcdn.peer.seeder;

import dev.swarmcdn.peer.engine.SwarmNames;
import dev.swarmcdn.peer.player.HlsText;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.swarm.PeerPool;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.tracker.JoinDetails;
import dev.swarmcdn.peer.tracker.TrackerClient;
import dev.swarmcdn.peer.upload.Uploader;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.peer.util.ContextClock;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge seeder: the edge as a WebRTC super-peer in the swarms of the live renditions its viewers
 * play (docs/ARCHITECTURE.md, "The edge seeder"). It joins each such swarm at the tracker as a
 * seeder, says so in its HELLO, announces the segments of the live window the edge's cache holds,
 * and serves viewers' REQUESTs from copies of them, within its peer and upload budget. It fetches
 * nothing for a peer: a segment comes into it only when the edge's cache holds it anyway, or when
 * the tracker assigns it the segment (the edge's normal, coalesced fill of it).
 *
 * <p>Confined to a Vert.x event-loop context of its own, like an engine; {@link #viewed} and the
 * figures may be called from any thread.
 */
public final class Seeder {
  private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);
  /** Swarms followed at once: enough for every rendition of a few streams, bounded against junk paths. */
  static final int MAX_SWARMS = 32;
  /** Playlist paths remembered (swarms, and masters or VOD to ignore). */
  static final int MAX_PATHS = 256;
  private static final long SWEEP_MS = 5000;
  private static final long REJOIN_MS = 10_000;
  private static final long RETRY_MS = 2000;
  /** Requests one viewer may have open with the seeder: a rescue is one segment, rarely two. */
  private static final int REQUESTS_PER_PEER = 2;
  /** Resolves playlist paths into URLs for the parsers; never fetched. */
  private static final String BASE = "http://edge.invalid";

  private final SeederOptions options;
  private final SeedSource source;
  private final SessionFactory sessions;
  private final ContextClock clock;
  private final SegmentStore store;
  private final Uploader uploader;
  private final TrackerClient tracker;
  private final SeederMetrics metrics;
  /** Playlist path -> when a viewer last asked for it (ms, the seeder's clock). */
  private final Map<String, Long> viewed = new ConcurrentHashMap<>();
  /** Folder of a followed playlist -> its swarm, for the edge to attribute segment bytes. */
  private final Map<String, SwarmId> folders = new ConcurrentHashMap<>();
  private final Map<String, SeededSwarm> swarms = new HashMap<>();
  private final Map<String, Long> banned = new HashMap<>();
  private final MeterRegistry registry;
  private final Map<String, io.micrometer.core.instrument.Counter> httpCounters = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private Seeder(Vertx vertx, SeederOptions options, SeedSource source, SessionFactory sessions,
      MeterRegistry registry) {
    this.options = options;
    this.source = source;
    this.sessions = sessions;
    this.clock = new ContextClock(((VertxInternal) vertx).createEventLoopContext());
    this.registry = registry;
    this.metrics = new SeederMetrics(registry);
    this.store = new SegmentStore(options.maxCacheBytes(), this::holdingsChanged);
    this.uploader = new Uploader(store, options.maxPeers(), options.maxBytesPerSecond(), true, clock,
        (swarm, bytes) -> metrics.sent(swarm, bytes), null);
    this.tracker = new TrackerClient(vertx, options.trackers().stream().map(URI::create).toList(), null, options.edgeSecret(), options.trust(),
        clock,
        new TrackerClient.Events() {
          @Override
          public void signal(String from, SwarmId swarm, SignalKind kind, String data) {
            SeededSwarm seeded = swarms.get(swarm.toString());
            if (seeded != null) {
              seeded.pool.signal(from, kind, data);
            }
          }

          @Override
          public void assigned(SwarmId swarm, long sequence, List<String> fetchers) {
            SeededSwarm seeded = swarms.get(swarm.toString());
            if (seeded != null && fetchers.contains(tracker.peerId())) {
              seeded.assigned(sequence);
            }
          }
        });
  }

  /** Starts a seeder: it connects to the tracker at once and joins swarms as viewers come. */
  public static Seeder start(Vertx vertx, SeederOptions options, SeedSource source, SessionFactory sessions,
      MeterRegistry registry) {
    Seeder seeder = new Seeder(vertx, options, source, sessions, registry);
    seeder.clock.execute(() -> {
      seeder.tracker.connect();
      seeder.sweep();
    });
    return seeder;
  }

  /**
   * A viewer asked the edge for the playlist at {@code path} (after any token prefix is gone). Cheap
   * and safe from any thread: the seeder looks at a path only the first time.
   */
  public void viewed(String path) {
    if (closed || !path.endsWith(".m3u8")) {
      return;
    }
    if (viewed.replace(path, clock.now()) == null && viewed.size() < MAX_PATHS
        && viewed.putIfAbsent(path, clock.now()) == null) {
      clock.execute(() -> consider(path));
    }
  }

  /**
   * The edge sent {@code bytes} over HTTP for {@code path}: counted for the swarm seeded from its
   * folder, if any, so both transports of a swarm show side by side. Any thread.
   */
  public void httpSent(String path, long bytes) {
    SwarmId swarm = folders.get(path.substring(0, path.lastIndexOf('/') + 1));
    if (swarm != null && bytes > 0) {
      httpCounters.computeIfAbsent(swarm.toString(), s -> SeederMetrics.sentCounter(registry, s, "http"))
          .increment(bytes);
    }
  }

  /** Segment bytes sent over data channels since the start, over every swarm. Any thread. */
  public long sentBytes() {
    return metrics.sentInAll();
  }

  /** Swarms joined now. Any thread. */
  public int swarmCount() {
    return folders.size();
  }

  /** Leaves every swarm (BYE to each viewer) and the tracker. */
  public void close() {
    clock.execute(() -> {
      closed = true;
      new ArrayList<>(swarms.values()).forEach(this::leave);
      tracker.close();
    });
  }

  // ------------------------------------------------------------------------------------- internals

  /** A playlist path seen for the first time: followed when it is a live media playlist. */
  private void consider(String path) {
    if (closed || swarms.size() >= MAX_SWARMS) {
      return;
    }
    source.fetch(path).onComplete(result -> clock.execute(() -> {
      if (closed) {
        return;
      }
      if (result.failed()) {
        // Not there yet (a stream starting), or the upstream failing: looked at again on a request
        // that comes a little later.
        LOG.debug("seeder: playlist {} not read: {}", path, result.cause().getMessage());
        clock.schedule(RETRY_MS, () -> viewed.remove(path));
        return;
      }
      String text = new String(result.result(), StandardCharsets.UTF_8);
      if (HlsText.isMaster(text) || HlsText.media(text, BASE + path).ended()) {
        return; // stays in viewed, so it is not looked at again until it goes idle
      }
      SwarmId swarm = SwarmNames.swarmOf(BASE + path, null);
      if (swarms.containsKey(swarm.toString()) || swarms.size() >= MAX_SWARMS) {
        return;
      }
      join(swarm, path).follow(text);
    }));
  }

  private SeededSwarm join(SwarmId swarm, String path) {
    PeerPool pool = new PeerPool(new PeerPool.Settings(swarm, options.maxPeers(), REQUESTS_PER_PEER,
        PeerFrame.Hello.SEEDER, options::iceServers, tracker::peerId, () -> store.holdings(swarm.toString()),
        (to, kind, data) -> tracker.signal(to, swarm, kind, data), sessions, clock, banned), new PeerPool.Events() {
          @Override
          public void request(dev.swarmcdn.peer.swarm.Peer peer, PeerFrame.Request request) {
            if (peer.link() != null) {
              uploader.serve(peer.link(), swarm.toString(), request);
            }
          }
        });
    SeededSwarm seeded = new SeededSwarm(swarm, path, pool);
    swarms.put(swarm.toString(), seeded);
    folders.put(path.substring(0, path.lastIndexOf('/') + 1), swarm);
    metrics.swarmJoined(swarm.toString());
    seeded.rejoin();
    LOG.info("seeding swarm {} ({})", swarm, path);
    return seeded;
  }

  private void leave(SeededSwarm seeded) {
    seeded.stop();
    swarms.remove(seeded.swarm.toString());
    folders.remove(seeded.path.substring(0, seeded.path.lastIndexOf('/') + 1));
    seeded.pool.close();
    tracker.leave(seeded.swarm);
    store.dropBefore(seeded.swarm.toString(), Long.MAX_VALUE);
    LOG.info("left swarm {}: no viewer asked for its playlist for {} s", seeded.swarm, options.idle().toSeconds());
  }

  /** Forgets paths nobody asked for lately, and leaves their swarms. */
  private void sweep() {
    if (closed) {
      return;
    }
    long now = clock.now();
    long idleMs = options.idle().toMillis();
    viewed.entrySet().removeIf(e -> now - e.getValue() > idleMs);
    for (SeededSwarm seeded : new ArrayList<>(swarms.values())) {
      if (!viewed.containsKey(seeded.path)) {
        leave(seeded);
      }
    }
    clock.schedule(SWEEP_MS, this::sweep);
  }

  private void holdingsChanged(String swarm) {
    SeededSwarm seeded = swarms.get(swarm);
    if (seeded == null) {
      return;
    }
    seeded.pool.announce();
    Long newest = store.newest(swarm);
    if (newest != null && !newest.equals(seeded.newestAnnounced)) {
      seeded.newestAnnounced = newest;
      tracker.have(seeded.swarm, newest);
    }
  }

  /** One swarm seeded: its playlist followed, the live window's cached segments copied in. */
  private final class SeededSwarm {
    final SwarmId swarm;
    final String path;
    final PeerPool pool;
    /** The window as the playlist lists it: sequence -> path. */
    final Map<Long, String> window = new HashMap<>();
    /** Segments the tracker assigned to this seeder that it does not hold yet. */
    final java.util.TreeSet<Long> assigned = new java.util.TreeSet<>();
    final java.util.Set<Long> loading = new java.util.HashSet<>();
    Long newestAnnounced;
    Clock.Timer followTimer;
    Clock.Timer rejoinTimer;
    boolean stopped;

    SeededSwarm(SwarmId swarm, String path, PeerPool pool) {
      this.swarm = swarm;
      this.path = path;
      this.pool = pool;
    }

    String key() {
      return swarm.toString();
    }

    /** Joins (again), so the tracker knows the slots free now; seeders are listed first while they have some. */
    void rejoin() {
      if (stopped) {
        return;
      }
      tracker.join(swarm, new JoinDetails(options.edgeId(), Math.max(0, options.maxPeers() - pool.size()),
          store.newest(key()), List.of(), true, true));
      rejoinTimer = clock.schedule(REJOIN_MS, this::rejoin);
    }

    /** Takes in the playlist's window, and reloads it in half a target duration. */
    void follow(String text) {
      if (stopped) {
        return;
      }
      HlsText.Media media = HlsText.media(text, BASE + path);
      window.clear();
      for (HlsText.Entry entry : media.entries()) {
        window.put(entry.sequence(), URI.create(entry.url()).getRawPath());
      }
      if (!media.entries().isEmpty()) {
        long first = media.entries().get(0).sequence();
        store.dropBefore(key(), first);
        assigned.headSet(first).clear();
      }
      window.forEach((sequence, segmentPath) -> {
        if (assigned.contains(sequence) || source.holds(segmentPath)) {
          load(sequence, segmentPath);
        }
      });
      long every = Math.max(1000, Math.round(media.targetDuration() * 500));
      followTimer = clock.schedule(every, this::reload);
    }

    void reload() {
      source.fetch(path).onComplete(result -> clock.execute(() -> {
        if (result.succeeded()) {
          follow(new String(result.result(), StandardCharsets.UTF_8));
        } else if (!stopped) {
          followTimer = clock.schedule(1000, this::reload);
        }
      }));
    }

    /** The tracker named this seeder first fetcher of {@code sequence}: the edge fills it, once. */
    void assigned(long sequence) {
      assigned.add(sequence);
      while (assigned.size() > 32) {
        assigned.pollFirst();
      }
      String segmentPath = window.get(sequence);
      if (segmentPath != null) {
        load(sequence, segmentPath);
      }
    }

    /** Copies a segment of the edge's cache (or its one fill) into the seeder's store. */
    void load(long sequence, String segmentPath) {
      if (store.has(key(), sequence) || !loading.add(sequence)) {
        return;
      }
      boolean fill = assigned.remove(sequence);
      if (fill) {
        metrics.assignedFill(key());
        store.fetching(key(), sequence, true);
      }
      source.fetch(segmentPath).onComplete(result -> clock.execute(() -> {
        loading.remove(sequence);
        if (stopped) {
          return;
        }
        if (result.succeeded() && window.containsKey(sequence)) {
          store.put(key(), sequence, result.result());
        } else if (fill) {
          store.fetching(key(), sequence, false);
        }
      }));
    }

    void stop() {
      stopped = true;
      if (followTimer != null) {
        followTimer.cancel();
      }
      if (rejoinTimer != null) {
        rejoinTimer.cancel();
      }
    }
  }
}
