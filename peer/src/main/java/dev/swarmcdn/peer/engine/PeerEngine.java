package dev.swarmcdn.peer.engine;

import dev.swarmcdn.peer.failover.EdgeFailover;
import dev.swarmcdn.peer.failover.FailoverHttpSource;
import dev.swarmcdn.peer.failover.RouteAnswer;
import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.http.SegmentProgress;
import dev.swarmcdn.peer.http.VertxHttpSource;
import dev.swarmcdn.peer.integrity.IntegrityManifests;
import dev.swarmcdn.peer.scheduler.HttpEstimate;
import dev.swarmcdn.peer.scheduler.Scheduler;
import dev.swarmcdn.peer.stats.EngineStats;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.store.SharedSegments;
import dev.swarmcdn.peer.swarm.LinkClose;
import dev.swarmcdn.peer.swarm.Peer;
import dev.swarmcdn.peer.swarm.PeerPool;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.tracker.JoinDetails;
import dev.swarmcdn.peer.tracker.TrackerClient;
import dev.swarmcdn.peer.tracker.TrackerState;
import dev.swarmcdn.peer.upload.Uploader;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.peer.util.ContextClock;
import dev.swarmcdn.protocol.peer.ByeReason;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.registry.RegistryJson;
import dev.swarmcdn.protocol.tracker.ClientMessage;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.PeerReport;
import dev.swarmcdn.protocol.tracker.ReportReason;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java peer engine, the browser engine's twin (web-player/src/engine/engine.js): it joins the
 * swarm of the rendition being played through the tracker, keeps a bounded set of peers, fetches
 * each media segment from peers or over HTTP as the scheduler decides, checks what peers sent
 * against the integrity manifest, serves what it holds to its swarm, and counts what happened.
 *
 * <p>What hls.js tells the browser engine, an integration tells this one: the playlists
 * ({@link #playlistLoaded}), the playhead ({@link #attach}), and the segments the player wants
 * ({@link #load}, {@link #handedOver}). Every method must be called on the engine's thread
 * ({@link #execute}); results complete there.
 *
 * <p>Nothing of the swarm starts before the player's first segment has arrived (or failed): before
 * playback every segment is due at once and comes over HTTP anyway, and the tracker connection, the
 * ICE servers, the manifest and its key would only compete with it (web-player/README.md, "Startup").
 */
public final class PeerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PeerEngine.class);
  /** Peer-only fetches ahead of the player, at most this many at once. */
  private static final int MAX_PREFETCHES = 2;
  /** HTTP fetches of segments the tracker assigned to this viewer, at most this many at once. */
  private static final int MAX_ASSIGNED_FETCHES = 2;
  /** An assigned fetch is given this long as its deadline when the player is far from the segment. */
  private static final double MAX_ASSIGNED_DUE_SECONDS = 60;
  /** Starts of segments kept from prefetches that gave up, at most this many (the newest). */
  private static final int MAX_PARTIALS = 4;
  /** While a swarm has fewer peers than it may, the tracker is asked for fresh ones this often. */
  private static final long REFRESH_PEERS_MS = 10_000;
  /**
   * How long after joining a swarm the player's segments wait for the first peer connections
   * rather than go to HTTP at once (each still within its deadline): about what the tracker's answer
   * and a WebRTC connection take on a loaded machine, short against the buffer a live start leaves.
   */
  static final long JOIN_GRACE_MS = 2000;
  private static final long ICE_SERVERS_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final EngineOptions options;
  private final ContextClock clock;
  private final SessionFactory sessions;
  /** HTTP as it is: the tracker's /route. */
  private final HttpSource directHttp;
  private final EdgeFailover edges;
  /** HTTP to the edge, moved to another when it fails: everything but /route. */
  private final HttpSource http;
  private final HttpEstimate httpEstimate = new HttpEstimate();
  private final IntegrityManifests integrity;
  private final SegmentStore store;
  private final Uploader uploader;
  private final EngineStats stats;
  private final JobContext jobContext = new EngineJobContext();
  private final Map<LinkClose.Reason, Long> linkCloses = new EnumMap<>(LinkClose.Reason.class);
  private final Map<String, SegmentJob> jobs = new HashMap<>();
  private final LinkedHashMap<String, Partial> partials = new LinkedHashMap<>();
  private final Map<String, MediaPlaylist> playlists = new HashMap<>();
  private final Map<String, Long> banned = new HashMap<>();
  private final Map<String, Set<Runnable>> waiters = new HashMap<>();
  private String trackerUrl;
  /** The stream asked of {@code /route}, once resolved. */
  private String routedStream;
  private String joinToken;
  private List<IceServer> iceServers;
  private Future<Void> iceReady;
  private TrackerClient tracker;
  private JoinedSwarm active;
  private Playhead playhead;
  private boolean prefetchScheduled;
  /** Startup is over: the player has its first segment, and the swarm of what it plays is joined. */
  private boolean opened;
  private boolean closed;

  /** The swarm of the rendition being played. */
  private static final class JoinedSwarm {
    final SwarmId swarm;
    final String playlistUrl;
    final String edge;
    final PeerPool pool;
    final Assignments assignments = new Assignments();
    final long joinedAt;
    /** The tracker answered the join with no peer: nobody to wait for. */
    boolean nobodyToJoin;
    Clock.Timer timer;
    Long newestAnnounced;
    long lastRequested = -1;

    JoinedSwarm(SwarmId swarm, String playlistUrl, String edge, PeerPool pool, long joinedAt) {
      this.swarm = swarm;
      this.playlistUrl = playlistUrl;
      this.edge = edge;
      this.pool = pool;
      this.joinedAt = joinedAt;
    }

    String key() {
      return swarm.toString();
    }
  }

  private PeerEngine(Vertx vertx, Context context, EngineOptions options, SessionFactory sessions,
      SharedSegments shared) {
    this.vertx = vertx;
    this.options = options;
    this.clock = new ContextClock(context);
    this.sessions = sessions;
    this.directHttp = new VertxHttpSource(vertx, clock, options.trust());
    this.edges = new EdgeFailover(clock, this::askRoute, this::switchedEdge);
    this.http = new FailoverHttpSource(directHttp, edges);
    this.integrity = new IntegrityManifests(http, clock, options.integrityKey(), null);
    this.stats = new EngineStats(clock::now);
    this.store = new SegmentStore(options.maxCacheBytes(), this::holdingsChanged, shared);
    this.uploader = new Uploader(store, options.uploadSlots(), options.maxUploadRate(), options.upload(), clock,
        (swarm, bytes) -> stats.uploaded(bytes), options.tamper());
    this.trackerUrl = options.tracker();
    this.joinToken = options.joinToken();
    this.iceServers = options.iceServers() == null ? List.of() : options.iceServers();
    this.iceReady = options.iceServers() != null ? Future.succeededFuture() : null;
  }

  /**
   * An engine on a new Vert.x event-loop context of its own: engines of one JVM spread over the
   * event loops. (A thread that is not Vert.x's gets the same context from getOrCreateContext
   * every time: hundreds of virtual viewers would share one thread.)
   */
  public static PeerEngine create(Vertx vertx, EngineOptions options, SessionFactory sessions) {
    return create(vertx, options, sessions, SharedSegments.NONE);
  }

  /** ... holding the segments it shares with other engines of this JVM in {@code shared}. */
  public static PeerEngine create(Vertx vertx, EngineOptions options, SessionFactory sessions, SharedSegments shared) {
    return new PeerEngine(vertx, ((VertxInternal) vertx).createEventLoopContext(), options, sessions, shared);
  }

  public Clock clock() {
    return clock;
  }

  /** The Vert.x context every call into the engine must run on. */
  public Context context() {
    return clock.context();
  }

  /** Runs {@code task} on the engine's thread. */
  public void execute(Runnable task) {
    clock.execute(task);
  }

  /** Runs {@code task} on the engine's thread; its result (or failure) completes the future there. */
  public <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
    Promise<T> promise = Promise.promise();
    clock.execute(() -> {
      try {
        promise.complete(task.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  public EngineOptions options() {
    return options;
  }

  // ----------------------------------------------------------------------------------- public API

  /** Follows a player's playhead. */
  public void attach(Playhead player) {
    this.playhead = player;
  }

  /**
   * {@code url}, loaded from the first routed edge, on the edge the engine uses now
   * ({@link EdgeFailover#rewrite}): for requests the engine does not make itself, such as the
   * desktop peer's pass-through. On the engine's thread.
   */
  public String onCurrentEdge(String url) {
    return edges.rewrite(url);
  }

  /**
   * The URL to load for {@code src}: unchanged, or, with the {@code route} option, on the edge the
   * tracker's {@code /route} names (with its access token), whose tracker, join token and ICE
   * servers the engine then uses. The engine keeps asking {@code /route} when that edge fails
   * ({@link EdgeFailover}); the URL returned stays valid, as the engine moves its requests.
   */
  public Future<String> resolve(String src) {
    if (options.route() == null) {
      return Future.succeededFuture(src);
    }
    URI target = URI.create(options.route()).resolve(src);
    String path = target.getRawPath();
    routedStream = options.swarmId();
    if (routedStream == null) {
      var live = java.util.regex.Pattern.compile("^/live/([^/]+)/").matcher(path);
      routedStream = live.find() ? live.group(1) : path.substring(1, Math.max(1, path.lastIndexOf('/')));
    }
    return askRoute(Set.of()).map(answer -> {
      if (answer.tracker() != null) {
        trackerUrl = answer.tracker();
      }
      if (answer.trackerToken() != null) {
        joinToken = answer.trackerToken();
      }
      useRoutedIceServers(answer.iceServers());
      edges.start(answer);
      return answer.base() + path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    });
  }

  /** Asks {@code /route} where to load the routed stream from, passing over the {@code excluded} edges. */
  private Future<RouteAnswer> askRoute(Set<String> excluded) {
    String route = options.route();
    String ask = route + (URI.create(route).getRawQuery() == null ? "?" : "&") + "stream="
        + URLEncoder.encode(routedStream, StandardCharsets.UTF_8)
        + (excluded.isEmpty() ? "" : "&exclude=" + URLEncoder.encode(String.join(",", excluded), StandardCharsets.UTF_8));
    // Straight to the tracker: a failing /route is no edge's failure.
    return directHttp.get(ask).map(body -> {
      RouteAnswer answer = RouteAnswer.parse(body.toJsonObject(), ask);
      LOG.info("route: {}{}", answer.edge(), answer.fallback() ? " (fallback: " + answer.reason() + ")" : "");
      return answer;
    });
  }

  /** The engine moved to another edge: counted, and new peer connections use that edge's ICE servers. */
  private void switchedEdge(RouteAnswer answer) {
    stats.failedOverEdge();
    useRoutedIceServers(answer.iceServers());
  }

  /**
   * A media playlist was (re)loaded; {@code current} when it is the rendition being played. Joins its
   * swarm when it is the first or the current one.
   */
  public void playlistLoaded(MediaPlaylist playlist, boolean current) {
    playlists.put(playlist.url(), playlist);
    if (!options.p2p() || trackerUrl == null || closed || !opened) {
      return;
    }
    if (active == null || current) {
      activate(playlist.url());
    }
    List<MediaPlaylist.Segment> segments = playlist.segments();
    if (active != null && active.playlistUrl.equals(playlist.url()) && !segments.isEmpty()) {
      // A live manifest fetched after its playlist lists the playlist's segments: fetch it now, so
      // that bytes from peers are checked without waiting.
      integrity.refresh(playlist.url(), segments.get(segments.size() - 1).sequence());
      if (playlist.live()) {
        // Peers ask only for segments their playlist lists: older ones go.
        store.dropBefore(active.key(), segments.get(0).sequence());
        fetchAssigned();
      }
    }
    schedulePrefetch();
  }

  /**
   * The tracker assigned live segment {@code sequence} of {@code swarm} to {@code fetchers}: the
   * engine follows it (docs/PROTOCOL.md, "Steering"), fetching the segment over HTTP as soon as
   * its playlist lists it when named, else leaving it to the swarm.
   */
  public void assigned(SwarmId swarm, long sequence, List<String> fetchers) {
    if (!options.steered() || active == null || !active.swarm.equals(swarm)) {
      return;
    }
    active.assignments.record(sequence, fetchers);
    fetchAssigned();
  }

  /** The reference of a segment of a playlist this engine was given. */
  public SegmentRef segmentRef(MediaPlaylist playlist, MediaPlaylist.Segment segment) {
    return new SegmentRef(SwarmNames.swarmOf(playlist.url(), options.swarmId()).toString(), segment.sequence(),
        segment.url(), segment.uri(), playlist.url(), segment.duration() > 0 ? segment.duration() : 2,
        (playlist.bitrate() > 0 ? playlist.bitrate() : 1e6) / 8, playlist.live());
  }

  /** Whether the engine may get this playlist's segments from peers at all. */
  public boolean sharing() {
    return options.p2p() && trackerUrl != null && !closed;
  }

  /**
   * Gets a segment for the player: the job already fetching it (a prefetch) or a new one.
   *
   * @param startSeconds  media time at which the segment starts
   * @param onHttpProgress  HTTP bytes as they arrive, or null
   */
  public Future<Delivery> load(SegmentRef ref, double startSeconds, SegmentProgress onHttpProgress) {
    if (!sharing()) {
      SegmentJob job = new SegmentJob(ref, jobContext, 0, false, null);
      return job.result();
    }
    if (opened) {
      JoinedSwarm joined = activate(ref.playlistUrl());
      joined.lastRequested = Math.max(joined.lastRequested, ref.sequence());
    }
    double due = bufferAhead(startSeconds);
    SegmentJob job = start(ref, due, false);
    job.want(due, onHttpProgress);
    Future<Delivery> result = job.result().recover(e -> {
      // A prefetch that gave up just as the player asked: start over as a normal job.
      if (!(e instanceof JobAborted) || job.cancelled()) {
        return Future.failedFuture(e);
      }
      SegmentJob again = start(ref, bufferAhead(startSeconds), false);
      again.want(bufferAhead(startSeconds), onHttpProgress);
      return again.result();
    });
    result.onComplete(ignored -> {
      // The first segment is the player's alone (HTTP at once); the swarm joins once it is here.
      open(ref);
      schedulePrefetch();
    });
    return result;
  }

  /**
   * The player's first segment arrived (or failed): the swarm of the rendition it plays is joined
   * now, and the playlist loaded meanwhile is taken into account.
   */
  private void open(SegmentRef first) {
    if (opened || closed) {
      return;
    }
    opened = true;
    JoinedSwarm joined = activate(first.playlistUrl());
    joined.lastRequested = Math.max(joined.lastRequested, first.sequence());
    MediaPlaylist playlist = playlists.get(first.playlistUrl());
    if (playlist != null) {
      playlistLoaded(playlist, true);
    }
  }

  /** Whether a job is getting this segment now. */
  public boolean loading(SegmentRef ref) {
    SegmentJob job = jobs.get(ref.key());
    return job != null && !job.done();
  }

  /** The segment if held whole, else null. */
  public byte[] held(SegmentRef ref) {
    var stored = store.get(ref.swarm(), ref.sequence());
    return stored == null ? null : stored.data();
  }

  /** The player got a segment: its bytes count as delivered, by source, the first time. */
  public void handedOver(SegmentRef ref, Delivery delivery) {
    if (store.handOver(ref.swarm(), ref.sequence())) {
      stats.deliveredSegment(delivery.httpBytes(), delivery.p2pBytes(), delivery.seederBytes());
    }
  }

  /** What the engine did so far. */
  public StatsSnapshot stats() {
    int connected = active == null ? 0 : active.pool.connected().size();
    int seeders = active == null ? 0 : (int) active.pool.connected().stream().filter(Peer::seeder).count();
    return stats.snapshot(connected - seeders, seeders, active == null ? null : active.key(),
        tracker == null ? "off" : tracker.state().wireName(), uploader.active());
  }

  /** Peer links ended so far, by reason (BYEs sent and received, channels lost, handshakes timed out). */
  public Map<LinkClose.Reason, Long> linkCloses() {
    return Map.copyOf(linkCloses);
  }

  /** Our peer id at the tracker, or null. */
  public String peerId() {
    return tracker == null ? null : tracker.peerId();
  }

  /** Leaves every swarm (BYE to each peer), closes the tracker connection, stops every transfer. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    new ArrayList<>(jobs.values()).forEach(SegmentJob::cancel);
    if (active != null) {
      leave(active);
    }
    active = null;
    if (tracker != null) {
      tracker.close();
    }
    http.close();
  }

  // -------------------------------------------------------------------------- for integrations

  /** The engine's HTTP client: integrations load playlists with it. */
  public HttpSource http() {
    return http;
  }

  /** Integrations hand it each playlist's text, so the manifest its tag names is used. */
  public IntegrityManifests integrity() {
    return integrity;
  }

  /** The segments held. */
  public SegmentStore store() {
    return store;
  }

  // ------------------------------------------------------------------------------------ JobContext

  /** What segment jobs use of their engine. */
  private final class EngineJobContext implements JobContext {
    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public double httpWindow() {
      return options.httpWindow();
    }

    /**
     * Whether this viewer fetches a new live segment over HTTP at once, to seed the swarm: always
     * when it is the oldest among its peers (every connection came from newer viewers, who found it
     * in the tracker's list), else with the chance {@code seedShare}.
     */
    @Override
    public boolean seeds(String swarm, long sequence) {
      Boolean assigned = assignment(swarm, sequence);
      return assigned != null ? assigned : seedsOnItsOwn(swarm);
    }

    @Override
    public boolean assignedElsewhere(String swarm, long sequence) {
      return Boolean.FALSE.equals(assignment(swarm, sequence));
    }

    /** Whether the tracker named this viewer for {@code sequence}; null when it named nobody we know of. */
    private Boolean assignment(String swarm, long sequence) {
      JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
      return joined == null ? null : joined.assignments.names(sequence, peerId());
    }

    @Override
    public boolean seedsOnItsOwn(String swarm) {
      JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
      // Not while still joining: with no peer yet it would be "oldest" of nobody, and fetch its
      // whole first buffer over HTTP.
      if (joined == null || options.seedShare() <= 0 || joiningUntil(swarm) > clock.now()) {
        return false;
      }
      // Viewers open the connections to a seeder: only viewers tell who is the oldest.
      return joined.pool.connected().stream().filter(p -> !p.seeder()).noneMatch(Peer::initiator)
          || ThreadLocalRandom.current().nextDouble() < options.seedShare();
    }

    @Override
    public HttpEstimate httpEstimate() {
      return httpEstimate;
    }

    @Override
    public HttpSource http() {
      return http;
    }

    @Override
    public SegmentStore store() {
      return store;
    }

    @Override
    public IntegrityManifests integrity() {
      return integrity;
    }

    @Override
    public EngineStats counters() {
      return stats;
    }

    @Override
    public PeerPool pool(String swarm) {
      JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
      return joined != null && integrity.usable(joined.playlistUrl) ? joined.pool : null;
    }

    @Override
    public long joiningUntil(String swarm) {
      JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
      if (joined == null || joined.nobodyToJoin
          || joined.pool.connected().stream().anyMatch(peer -> !peer.seeder())) {
        return 0;
      }
      return joined.joinedAt + JOIN_GRACE_MS;
    }

    @Override
    public Runnable onPeerChange(String swarm, Runnable listener) {
      Set<Runnable> set = waiters.computeIfAbsent(swarm, s -> new HashSet<>());
      set.add(listener);
      return () -> set.remove(listener);
    }

    @Override
    public void reportBad(String swarm, String peerId) {
      PeerEngine.this.reportBad(swarm, peerId);
    }
  }

  /** A peer sent bytes that failed the integrity check: dropped for good, reported to the tracker. */
  private void reportBad(String swarm, String peerId) {
    JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
    if (joined == null) {
      return;
    }
    joined.pool.drop(peerId, ByeReason.INTEGRITY, Long.MAX_VALUE);
    if (tracker != null) {
      tracker.join(joined.swarm, joinDetails(joined, List.of(new PeerReport(peerId, ReportReason.INTEGRITY))));
    }
  }

  // ------------------------------------------------------------------------------------- internals

  private SegmentJob start(SegmentRef ref, double dueSeconds, boolean prefetch) {
    String key = ref.key();
    SegmentJob running = jobs.get(key);
    if (running != null && !running.done()) {
      return running;
    }
    Partial resume = partials.remove(key);
    SegmentJob job = new SegmentJob(ref, jobContext, dueSeconds, prefetch, resume);
    jobs.put(key, job);
    job.result().onComplete(outcome -> {
      if (outcome.failed() && outcome.cause() instanceof JobAborted aborted && aborted.partial() != null && !closed) {
        partials.put(key, aborted.partial());
        for (Iterator<String> oldest = partials.keySet().iterator(); partials.size() > MAX_PARTIALS; ) {
          oldest.next();
          oldest.remove();
        }
      }
      if (jobs.get(key) == job) {
        jobs.remove(key);
      }
      if (job.assigned()) {
        fetchAssigned();
      }
    });
    return job;
  }

  /** Seconds of media the player holds ahead of its playhead, up to {@code startSeconds} (0 before playback starts). */
  private double bufferAhead(double startSeconds) {
    if (playhead == null || !playhead.started()) {
      return 0;
    }
    return playhead.bufferAhead(startSeconds) / Math.max(0.1, playhead.playbackRate());
  }

  private JoinedSwarm activate(String playlistUrl) {
    SwarmId swarm = SwarmNames.swarmOf(playlistUrl, options.swarmId());
    if (active != null && active.swarm.equals(swarm)) {
      return active;
    }
    JoinedSwarm previous = active;
    active = join(swarm, playlistUrl);
    if (previous != null) {
      leave(previous);
    }
    LOG.info("joined swarm {}", swarm);
    return active;
  }

  private JoinedSwarm join(SwarmId swarm, String playlistUrl) {
    URI url = URI.create(playlistUrl);
    String edge = options.edgeId() != null ? options.edgeId()
        : url.getScheme() + "://" + url.getRawAuthority();
    TrackerClient client = ensureTracker();
    PeerPool pool = new PeerPool(new PeerPool.Settings(swarm, options.maxPeers(),
        options.upload() ? options.uploadSlots() : 0, options.flags(), () -> iceServers, client::peerId,
        () -> store.holdings(swarm.toString()),
        // The end of candidates travels as the JSON value null.
        (to, kind, data) -> client.signal(to, swarm, kind, data == null ? "null" : data), sessions,
        clock, banned, options.relayOnly()), new PeerPool.Events() {
          @Override
          public void ready(Peer peer) {
            peersChanged(swarm.toString());
          }

          @Override
          public void have(Peer peer) {
            peersChanged(swarm.toString());
          }

          @Override
          public void request(Peer peer, PeerFrame.Request request) {
            if (peer.link() != null) {
              uploader.serve(peer.link(), swarm.toString(), request);
            }
          }

          @Override
          public void closed(Peer peer, LinkClose close) {
            linkCloses.merge(close.reason(), 1L, Long::sum);
            peersChanged(swarm.toString());
          }
        });
    JoinedSwarm joined = new JoinedSwarm(swarm, playlistUrl, edge, pool, clock.now());
    // On the clock, after activate() made this swarm the active one: ICE servers known already (the
    // route's, the option's) complete the future at once, which would find another swarm active.
    loadIceServers(edge).onComplete(ignored -> clock.execute(() -> {
      if (active != joined) {
        return;
      }
      client.join(swarm, joinDetails(joined, List.of()));
      scheduleRefresh(joined);
    }));
    integrity.refresh(playlistUrl, -1);
    return joined;
  }

  private void scheduleRefresh(JoinedSwarm joined) {
    joined.timer = clock.schedule(REFRESH_PEERS_MS, () -> {
      if (active != joined) {
        return;
      }
      if (joined.pool.size() < options.maxPeers() && tracker != null) {
        tracker.join(joined.swarm, joinDetails(joined, List.of()));
      }
      scheduleRefresh(joined);
    });
  }

  private JoinDetails joinDetails(JoinedSwarm joined, List<PeerReport> reports) {
    MediaPlaylist playlist = playlists.get(joined.playlistUrl);
    return new JoinDetails(joined.edge, uploader.freeSlots(), store.newest(joined.key()), reports,
        playlist != null && playlist.live(), false);
  }

  private void leave(JoinedSwarm joined) {
    if (joined.timer != null) {
      joined.timer.cancel();
    }
    partials.keySet().removeIf(key -> key.startsWith(joined.key() + "#"));
    joined.pool.close();
    if (tracker != null) {
      tracker.leave(joined.swarm);
    }
    peersChanged(joined.key());
  }

  private TrackerClient ensureTracker() {
    if (tracker != null) {
      return tracker;
    }
    // The route's tracker first, then the ones the options name, each once.
    List<URI> trackers = java.util.stream.Stream.concat(java.util.stream.Stream.of(trackerUrl, options.tracker()),
        options.trackers().stream()).filter(java.util.Objects::nonNull).distinct().map(URI::create).toList();
    tracker = new TrackerClient(vertx, trackers, joinToken, null, options.trust(), clock,
        new TrackerClient.Events() {
      @Override
      public void movedTo(URI tracker) {
        stats.failedOverTracker();
      }

      @Override
      public void peers(SwarmId swarm, List<PeerInfo> peers) {
        if (active != null && active.swarm.equals(swarm)) {
          active.nobodyToJoin = peers.isEmpty() && active.pool.size() == 0;
          active.pool.connectTo(peers);
          if (active.nobodyToJoin) {
            // Segments waiting for peers stop waiting: there are none.
            peersChanged(active.key());
          }
        }
      }

      @Override
      public void signal(String from, SwarmId swarm, SignalKind kind, String data) {
        if (active != null && active.swarm.equals(swarm)) {
          active.pool.signal(from, kind, data);
        }
      }

      @Override
      public void assigned(SwarmId swarm, long sequence, List<String> fetchers) {
        PeerEngine.this.assigned(swarm, sequence, fetchers);
      }

      @Override
      public void state(TrackerState state) {
        LOG.debug("tracker {}", state.wireName());
      }
    });
    // The viewer's figures, summed per stream by the tracker; the player outside the engine knows its
    // stalls, the engine does not: none are reported from here.
    tracker.reportFiguresOf(swarm -> {
      StatsSnapshot now = stats();
      return new ClientMessage.Stats(swarm, now.deliveredHttp(), now.deliveredP2p(), now.deliveredSeeder(),
          now.uploaded(), 0, now.integrityFailures());
    });
    tracker.connect();
    return tracker;
  }

  /** The route answer's ICE servers, unless the iceServers option named them. */
  private void useRoutedIceServers(Object servers) {
    if (servers == null || options.iceServers() != null) {
      return;
    }
    List<IceServer> parsed = parseIceServers(servers);
    if (parsed == null) {
      LOG.warn("/route: iceServers is not an RTCIceServer list; the edge's instead");
      return;
    }
    iceServers = parsed;
    iceReady = Future.succeededFuture();
  }

  /** The ICE servers the edge offers, fetched once (2 s at most; none on failure). */
  private Future<Void> loadIceServers(String edge) {
    if (iceReady != null) {
      return iceReady;
    }
    Promise<Void> ready = Promise.promise();
    iceReady = ready.future();
    Clock.Timer timer = clock.schedule(ICE_SERVERS_TIMEOUT_MS, ready::tryComplete);
    String base = edge.startsWith("http") ? edge : URI.create(active != null ? active.playlistUrl : edge).resolve("/").toString();
    http.get(base.replaceFirst("/$", "") + "/_edge/ice-servers").onComplete(result -> {
      timer.cancel();
      if (result.succeeded()) {
        List<IceServer> parsed = parseIceServers(result.result().toJsonArray());
        iceServers = parsed == null ? List.of() : parsed;
      } else {
        LOG.info("no ICE servers from {}: peers connect directly only", edge);
      }
      ready.tryComplete();
    });
    return iceReady;
  }

  /** An RTCIceServer list as JSON, or null when it is not one ({@link RegistryJson#readIceServers}). */
  static List<IceServer> parseIceServers(Object value) {
    if (!(value instanceof JsonArray array)) {
      return null;
    }
    try {
      return RegistryJson.readIceServers(array.encode());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void holdingsChanged(String swarm) {
    JoinedSwarm joined = active != null && active.key().equals(swarm) ? active : null;
    if (joined == null) {
      return;
    }
    joined.pool.announce();
    Long newest = store.newest(swarm);
    if (newest != null && !newest.equals(joined.newestAnnounced) && tracker != null) {
      joined.newestAnnounced = newest;
      tracker.have(joined.swarm, newest);
    }
  }

  private void peersChanged(String swarm) {
    Set<Runnable> waiting = waiters.get(swarm);
    if (waiting != null) {
      new ArrayList<>(waiting).forEach(Runnable::run);
    }
    schedulePrefetch();
  }

  private void schedulePrefetch() {
    if (prefetchScheduled || closed) {
      return;
    }
    prefetchScheduled = true;
    clock.schedule(0, () -> {
      prefetchScheduled = false;
      prefetch();
    });
  }

  /**
   * Starts the HTTP fetches of segments assigned to this viewer that its playlist lists, at most
   * {@value #MAX_ASSIGNED_FETCHES} at once; the player's later load finds them held.
   */
  private void fetchAssigned() {
    JoinedSwarm joined = active;
    MediaPlaylist playlist = joined == null ? null : playlists.get(joined.playlistUrl);
    String self = peerId();
    if (playlist == null || !playlist.live() || playlist.segments().isEmpty() || self == null) {
      return;
    }
    List<MediaPlaylist.Segment> segments = playlist.segments();
    long first = segments.get(0).sequence();
    int running = 0;
    for (SegmentJob job : jobs.values()) {
      if (job.assigned() && !job.done()) {
        running++;
      }
    }
    for (long sequence : joined.assignments.assignedTo(self, first)) {
      int index = (int) (sequence - first);
      if (running >= MAX_ASSIGNED_FETCHES || index >= segments.size()) {
        return;
      }
      MediaPlaylist.Segment segment = segments.get(index);
      joined.assignments.markStarted(sequence);
      SegmentJob existing = jobs.get(joined.key() + "#" + sequence);
      if (existing != null && !existing.done()) {
        // The player's job for it may be waiting for the swarm: this viewer is the one to fetch it.
        existing.seedNow();
        continue;
      }
      if (store.has(joined.key(), sequence)) {
        continue;
      }
      double due = playhead == null || !playhead.started() ? Double.MAX_VALUE
          : (segment.start() - playhead.currentTime()) / Math.max(0.1, playhead.playbackRate());
      SegmentJob job = start(segmentRef(playlist, segment), Math.min(due, MAX_ASSIGNED_DUE_SECONDS), false);
      job.markAssigned();
      job.result().onSuccess(ignored -> stats.assignedFetched());
      running++;
    }
  }

  private record Upcoming(long sequence, double dueSeconds, MediaPlaylist.Segment segment)
      implements Scheduler.Upcoming {
  }

  /** Starts peer-only fetches of upcoming segments peers hold, within the P2P window. */
  private void prefetch() {
    JoinedSwarm joined = active;
    if (joined == null || playhead == null || !playhead.started() || !integrity.usable(joined.playlistUrl)) {
      return;
    }
    MediaPlaylist playlist = playlists.get(joined.playlistUrl);
    if (playlist == null) {
      return;
    }
    int running = (int) jobs.values().stream().filter(job -> job.prefetch() && !job.done()).count();
    double rate = Math.max(0.1, playhead.playbackRate());
    double now = playhead.currentTime();
    List<Upcoming> upcoming = new ArrayList<>();
    for (MediaPlaylist.Segment segment : playlist.segments()) {
      if (segment.sequence() > joined.lastRequested) {
        upcoming.add(new Upcoming(segment.sequence(), (segment.start() - now) / rate, segment));
      }
    }
    List<Upcoming> chosen = Scheduler.prefetchCandidates(upcoming, options.p2pWindow(), options.httpWindow(),
        MAX_PREFETCHES - running, s -> !store.has(joined.key(), s.sequence())
            && !jobs.containsKey(joined.key() + "#" + s.sequence()) && !joined.pool.holders(s.sequence()).isEmpty());
    for (Upcoming next : chosen) {
      start(segmentRef(playlist, next.segment()), next.dueSeconds(), true);
    }
  }
}
