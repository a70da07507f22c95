package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.peer.http.HttpError;
import dev.swarmcdn.peer.http.HttpResult;
import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.http.SegmentAnswer;
import dev.swarmcdn.peer.http.SegmentProgress;
import dev.swarmcdn.peer.integrity.IntegrityManifests;
import dev.swarmcdn.peer.scheduler.HttpEstimate;
import dev.swarmcdn.peer.stats.EngineStats;
import dev.swarmcdn.peer.stats.FallbackReason;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.swarm.Peer;
import dev.swarmcdn.peer.swarm.PeerLink;
import dev.swarmcdn.peer.swarm.PeerPool;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.testing.FakeChannel;
import dev.swarmcdn.peer.testing.FakeClock;
import dev.swarmcdn.peer.upload.UploadTamper;
import dev.swarmcdn.peer.upload.Uploader;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.integrity.Ed25519Keys;
import dev.swarmcdn.protocol.integrity.IntegrityManifest;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestContent;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.tracker.Locality;
import dev.swarmcdn.protocol.tracker.PeerInfo;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * One segment's journey on a fake clock, ported from web-player/test/segment-job.test.js: from a
 * real peer (a {@link PeerLink} and an {@link Uploader} on the other end of an in-memory channel,
 * reached through a real {@link PeerPool}) or over a fake edge, with the scheduler's deadlines,
 * integrity checks against a signed manifest, and the fallbacks: bad bytes, a peer that vanishes
 * mid-transfer, a slow peer, nobody holding the segment in time.
 */
class SegmentJobTest {
  private static final String EDGE = "http://edge.test";
  private static final String PLAYLIST = EDGE + "/live/demo/360p/index.m3u8";
  private static final String SWARM = "demo/360p";
  private static final SwarmId SWARM_ID = new SwarmId("demo", "360p");
  private static final long SEQUENCE = 10;
  private static final String URI = "seg_" + SEQUENCE + ".m4s";
  private static final byte[] SEGMENT = new byte[100_000];
  private static final int LENGTH = SEGMENT.length;
  private static final PeerFrame.Hello HELLO = new PeerFrame.Hello(SWARM_ID, 0, 4, 1 << 24);
  private static final KeyPair KEY;
  private static final PublicKeyDocument KEY_DOCUMENT;

  static {
    new Random(20_261_206L).nextBytes(SEGMENT);
    try {
      KEY = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    KEY_DOCUMENT = PublicKeyDocument.of(Ed25519Keys.raw(KEY.getPublic()));
  }

  /** The XOR of the first byte of every PIECE a peer sends. */
  private static final UploadTamper CORRUPT = (sequence, payload) -> {
    payload[0] ^= (byte) 0xff;
    return payload;
  };

  // ------------------------------------------------------------------------------------ signing

  /** A signed manifest of the playlist listing {@code segments} ({uri, data}) from {@link #SEQUENCE}. */
  private static byte[] manifestFor(Map<String, byte[]> segments) {
    List<ManifestEntry> entries = new ArrayList<>();
    segments.forEach((uri, data) -> entries.add(new ManifestEntry(uri, data.length, sha256(data))));
    ManifestContent content = new ManifestContent("/live/demo/360p/index.m3u8", SEQUENCE, List.of(), entries);
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(KEY.getPrivate());
      signer.update(content.signingInput());
      return IntegrityManifestCodec.encode(IntegrityManifest.signed(content, KEY_DOCUMENT.keyId(), signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------ the edge

  /**
   * An edge's answer to a Range request, as the JS test's {@code rangeAnswer} builds a Response.
   *
   * @param contentRange  the Content-Range header, or null for none
   */
  record Answer(int status, String contentRange, byte[] body) {
  }

  private static byte[] from(byte[] data, long offset) {
    return Arrays.copyOfRange(data, (int) offset, data.length);
  }

  private static String contentRange(long start, long total) {
    return "bytes " + start + "-" + (LENGTH - 1) + "/" + total;
  }

  /** What a test changes of the viewer and its edge (the JS test's setup options). */
  static final class Options {
    double seedShare;
    /** The tracker named another viewer for the segment. */
    boolean steeredAway;
    boolean live = true;
    double bitrate = 10_000;
    int staleManifests;
    LongFunction<Answer> rangeAnswer;
  }

  /** The viewer under test, its edge, and peers added by each test. */
  static final class Setup implements JobContext {
    final Options options;
    final FakeClock clock = new FakeClock();
    final HttpEstimate httpEstimate = new HttpEstimate();
    final EngineStats stats = new EngineStats(clock::now);
    final SegmentStore store = new SegmentStore(10_000_000, swarm -> { });
    final FakeEdge edge = new FakeEdge();
    final IntegrityManifests integrity = new IntegrityManifests(edge, clock, KEY_DOCUMENT, null);
    final List<String> reported = new ArrayList<>();
    final Set<Runnable> waiters = new LinkedHashSet<>();
    final Map<String, SessionFactory.Spec> sessions = new HashMap<>();
    final PeerPool pool;
    /** What {@link #joiningUntil} answers: 0, joined, unless a test says otherwise. */
    long joiningUntil;
    private String opening;

    Setup(Options options) {
      this.options = options;
      httpEstimate.sample(1_000_000, 100, 20); // the edge: 10 MB/s, 20 ms to first byte
      pool = new PeerPool(new PeerPool.Settings(SWARM_ID, 8, 4, 0, List::of, () -> "viewer", () -> Holdings.NONE,
          (to, kind, data) -> { }, spec -> {
            sessions.put(opening, spec);
            return new PeerSession() {
              @Override
              public void offer() {
              }

              @Override
              public void signal(SignalKind kind, String data) {
              }

              @Override
              public void close() {
              }
            };
          }, clock, new HashMap<>()), new PeerPool.Events() {
            @Override
            public void have(Peer peer) {
              new ArrayList<>(waiters).forEach(Runnable::run);
            }
          });
    }

    /** HTTP requests for the segment: the Range offset of each (0 for the whole segment), and when. */
    List<Long> httpRequests() {
      return edge.requests;
    }

    List<Long> httpTimes() {
      return edge.times;
    }

    StatsSnapshot snapshot() {
      return stats.snapshot(0, 0, SWARM, null, 0);
    }

    long fallbacks(FallbackReason reason) {
      return snapshot().fallbacks().get(reason);
    }

    /** Bytes that came from peers so far (a job's bytes received, when it started from nothing). */
    long received() {
      return snapshot().downloadedP2p();
    }

    /** A peer holding the segment (or only fetching it, or not), serving at {@code rate} bytes/s. */
    RemotePeer addPeer(String id, long rate, UploadTamper tamper, String holds) {
      FakeChannel[] ends = FakeChannel.pair(clock);
      SegmentStore peerStore = new SegmentStore(10_000_000, swarm -> { });
      if (holds.equals("held")) {
        peerStore.put(SWARM, SEQUENCE, SEGMENT.clone());
      } else if (holds.equals("fetching")) {
        peerStore.fetching(SWARM, SEQUENCE, true);
      }
      Uploader uploader = new Uploader(peerStore, 4, rate, true, clock, (swarm, bytes) -> { }, tamper);
      PeerLink[] server = new PeerLink[1];
      server[0] = new PeerLink(ends[1], HELLO, clock, () -> peerStore.holdings(SWARM), new PeerLink.Events() {
        @Override
        public void request(PeerFrame.Request request) {
          uploader.serve(server[0], SWARM, request);
        }
      });
      opening = id;
      pool.connectTo(List.of(new PeerInfo(id, Locality.ANY, null)));
      sessions.get(id).onChannel().accept(ends[0]);
      ends[0].open();
      clock.settle();
      Peer peer = pool.peer(id);
      assertTrue(peer != null && peer.ready(), "peer " + id + " connected");
      return new RemotePeer(id, peer, server[0], ends[1], peerStore);
    }

    RemotePeer addPeer(String id) {
      return addPeer(id, 0, null, "held");
    }

    SegmentJob job(double dueSeconds, boolean prefetch, Partial resume) {
      SegmentRef ref = new SegmentRef(SWARM, SEQUENCE, EDGE + "/live/demo/360p/" + URI, URI, PLAYLIST, 2,
          options.bitrate, options.live);
      return new SegmentJob(ref, this, dueSeconds, prefetch, resume);
    }

    SegmentJob job(double dueSeconds) {
      return job(dueSeconds, false, null);
    }

    /** Runs the fake clock until the job is done (at most {@code limitMs}). */
    Future<Delivery> finish(SegmentJob job, long limitMs) {
      for (long waited = 0; !job.done() && waited < limitMs; waited += 50) {
        clock.advance(50);
      }
      assertTrue(job.done(), "the job finished");
      return job.result();
    }

    Delivery delivered(SegmentJob job) {
      Future<Delivery> result = finish(job, 20_000);
      assertTrue(result.succeeded(), () -> "delivered, not " + result.cause());
      return result.result();
    }

    Throwable failed(SegmentJob job) {
      Future<Delivery> result = finish(job, 20_000);
      assertTrue(result.failed(), "the job failed");
      return result.cause();
    }

    /** A peer that delivers part of the segment, then vanishes; returns the job and the byte reached. */
    Vanished vanishingPeer(UploadTamper tamper) {
      RemotePeer peer = addPeer("ghost", 40_000, tamper, "held");
      SegmentJob job = job(10);
      clock.advance(1000);
      long reached = received();
      assertTrue(reached > 0 && reached < LENGTH, "mid-transfer at " + reached);
      peer.serverChannel().close();
      return new Vanished(job, reached);
    }

    // JobContext

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public double httpWindow() {
      return 2;
    }

    @Override
    public boolean seeds(String swarm, long sequence) {
      return !options.steeredAway && options.seedShare > 0.5;
    }

    @Override
    public boolean assignedElsewhere(String swarm, long sequence) {
      return options.steeredAway;
    }

    @Override
    public boolean seedsOnItsOwn(String swarm) {
      return options.seedShare > 0.5;
    }

    @Override
    public HttpEstimate httpEstimate() {
      return httpEstimate;
    }

    @Override
    public HttpSource http() {
      return edge;
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
      return pool;
    }

    @Override
    public long joiningUntil(String swarm) {
      return joiningUntil;
    }

    @Override
    public Runnable onPeerChange(String swarm, Runnable listener) {
      waiters.add(listener);
      return () -> waiters.remove(listener);
    }

    @Override
    public void reportBad(String swarm, String peerId) {
      reported.add(peerId);
    }

    /**
     * The edge, as the JS test's {@code fetch} fake: the signed manifest (listing nothing while
     * {@code staleManifests} last), the segment whole, or its rest from a Range offset; answers
     * come on the engine's thread after the current task, and are read as
     * {@link dev.swarmcdn.peer.http.VertxHttpSource} reads a response.
     */
    final class FakeEdge implements HttpSource {
      final List<Long> requests = new ArrayList<>();
      final List<Long> times = new ArrayList<>();

      @Override
      public Future<Buffer> get(String url) {
        Promise<Buffer> promise = Promise.promise();
        clock.execute(() -> {
          if (url.endsWith("index.integrity.json")) {
            Map<String, byte[]> listed = options.staleManifests-- > 0 ? Map.of() : Map.of(URI, SEGMENT);
            promise.complete(Buffer.buffer(manifestFor(listed)));
          } else {
            promise.fail(new HttpError(404, "HTTP 404 for " + url));
          }
        });
        return promise.future();
      }

      @Override
      public Transfer fetchSegment(String url, long from, long knownSize, SegmentProgress progress) {
        requests.add(from);
        times.add(clock.now());
        Answer answer = from == 0 ? new Answer(200, null, SEGMENT.clone())
            : options.rangeAnswer != null ? options.rangeAnswer.apply(from)
            : new Answer(206, contentRange(from, LENGTH), from(SEGMENT, from));
        long requestedAt = clock.now();
        Promise<HttpResult> promise = Promise.promise();
        clock.execute(() -> {
          if (!promise.future().isComplete()) {
            read(answer, url, from, knownSize, requestedAt, progress, promise);
          }
        });
        return new Transfer() {
          @Override
          public Future<HttpResult> result() {
            return promise.future();
          }

          @Override
          public void abort() {
            promise.tryFail(new HttpError(0, "aborted"));
          }
        };
      }

      /** The answer judged as every HttpSource judges it (its body whole in one chunk). */
      private void read(Answer answer, String url, long from, long knownSize, long requestedAt,
          SegmentProgress progress, Promise<HttpResult> promise) {
        long firstByteAt = clock.now();
        try {
          SegmentAnswer.Head head = SegmentAnswer.head(url, answer.status(), answer.contentRange(),
              answer.status() == 200 ? answer.body().length : -1, from, knownSize);
          progress.progress(answer.body().length, head.expected());
          promise.complete(SegmentAnswer.body(url, head, answer.body(), from, knownSize, requestedAt, firstByteAt,
              clock.now()));
        } catch (HttpError refused) {
          promise.fail(refused);
        }
      }

      @Override
      public void close() {
      }
    }
  }

  /** A peer the test added: our side's {@link Peer}, and its far end (link, channel, store). */
  record RemotePeer(String id, Peer peer, PeerLink server, FakeChannel serverChannel, SegmentStore peerStore) {
  }

  record Vanished(SegmentJob job, long reached) {
  }

  private static Setup setup() {
    return new Setup(new Options());
  }

  private static Setup setup(Consumer<Options> change) {
    Options options = new Options();
    change.accept(options);
    return new Setup(options);
  }

  // ------------------------------------------------------------------------------------- cases

  @Test
  void aSegmentAPeerHoldsComesFromItCheckedWhenThereIsTime() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("a");
    Delivery delivery = s.delivered(s.job(10));
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of((long) LENGTH, 0L), List.of(delivery.p2pBytes(), delivery.httpBytes()));
    assertEquals(List.of(), s.httpRequests(), "nothing over HTTP");
    assertNotNull(s.store.get(SWARM, SEQUENCE));
    assertEquals(LENGTH, s.store.get(SWARM, SEQUENCE).p2pBytes(), "held, as bytes from peers");
    assertEquals(List.of(0L, 0L), List.of(s.stats.deliveredHttp(), s.stats.deliveredP2p()),
        "delivered only once the player gets it");
    assertEquals(1, peer.peer().score().served());
  }

  @Test
  void aSegmentNewerThanTheManifestTheEdgeStillServesIsCheckedAgainShortlyNotRefetched() {
    Setup s = setup(o -> o.staleManifests = 2);
    s.addPeer("a");
    Delivery delivery = s.delivered(s.job(10));
    assertEquals(LENGTH, delivery.p2pBytes());
    assertEquals(List.of(), s.httpRequests());
    assertEquals(0, s.fallbacks(FallbackReason.UNKNOWN));
  }

  @Test
  void dueWithinTheHttpWindowHttpAtOncePeersOrNot() {
    Setup s = setup();
    s.addPeer("a");
    Delivery delivery = s.delivered(s.job(1.5));
    assertEquals(List.of(0L, (long) LENGTH), List.of(delivery.p2pBytes(), delivery.httpBytes()));
    assertEquals(List.of(0L), s.httpRequests());
    // The browser hands hls.js the HTTP timing; here the timing goes to the HTTP estimate (the fake
    // edge answers at once, so its time to first byte falls below the 20 ms sampled at setup).
    assertTrue(s.httpEstimate.ttfbMs() < 20, "HTTP timing measured");
  }

  @Test
  void tamperedBytesNeverComeOutHttpInsteadThePeerReportedTheFailureCounted() {
    Setup s = setup();
    s.addPeer("liar", 0, CORRUPT, "held");
    Delivery delivery = s.delivered(s.job(10));
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of(0L, (long) LENGTH), List.of(delivery.p2pBytes(), delivery.httpBytes()));
    assertEquals(List.of("liar"), s.reported);
    assertEquals(1, s.snapshot().integrityFailures());
    assertEquals(List.of(0L), s.httpRequests(), "the whole segment again");
  }

  @Test
  void aPeerThatVanishesMidTransferTheRestComesOverHttpFromTheByteReachedInTime() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("ghost", 40_000, null, "held"); // 100 kB at 40 kB/s: 2.5 s
    SegmentJob job = s.job(10);
    s.clock.advance(1000);
    long received = s.received();
    assertTrue(received > 0 && received < LENGTH, "mid-transfer at " + received);
    peer.serverChannel().close();
    Delivery delivery = s.delivered(job);
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(LENGTH, delivery.p2pBytes() + delivery.httpBytes());
    assertTrue(delivery.p2pBytes() > 0 && delivery.httpBytes() > 0);
    assertEquals(List.of(delivery.p2pBytes()), s.httpRequests(), "a Range request from the byte reached");
    assertEquals(1, s.fallbacks(FallbackReason.CLOSED));
    assertTrue(s.httpTimes().get(0) - 1000 < 1100, "over HTTP as soon as the peer was gone");
  }

  @Test
  void anEdgeNamingAnotherSizeThanThePeerBlamesNobodyTheWholeSegmentOverHttp() {
    Setup s = setup(o -> o.rangeAnswer = from -> new Answer(206, contentRange(from, LENGTH + 5), from(SEGMENT, from)));
    Vanished v = s.vanishingPeer(null);
    Delivery delivery = s.delivered(v.job());
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of(v.reached(), 0L), s.httpRequests(), "the rest, then the whole segment");
    assertEquals(List.of(), s.reported, "the peer sent the size the manifest lists");
    assertEquals(0, s.snapshot().integrityFailures());
  }

  @Test
  void badBytesFromHttpAfterAPeersGoodOnesNobodyBlamedTheWholeSegmentOverHttp() {
    Setup s = setup(o -> o.rangeAnswer = from -> {
      byte[] rest = from(SEGMENT, from);
      rest[rest.length - 1] ^= (byte) 0xff;
      return new Answer(206, contentRange(from, LENGTH), rest);
    });
    Vanished v = s.vanishingPeer(null);
    Delivery delivery = s.delivered(v.job());
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of(v.reached(), 0L), s.httpRequests());
    assertEquals(List.of(), s.reported, "the peer's bytes match the verified HTTP copy");
  }

  @Test
  void badBytesFromAPeerBeforeGoodOnesFromHttpThatPeerBlamed() {
    Setup s = setup();
    Vanished v = s.vanishingPeer(CORRUPT);
    Delivery delivery = s.delivered(v.job());
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of(v.reached(), 0L), s.httpRequests());
    assertEquals(List.of("ghost"), s.reported);
    assertEquals(1, s.snapshot().integrityFailures());
  }

  @Test
  void aPeerNamingAnotherSizeThanTheManifestListsThatPeerAloneBlamedHttpInstead() {
    Setup s = setup();
    RemotePeer liar = s.addPeer("liar");
    liar.peerStore().put(SWARM, SEQUENCE, new byte[LENGTH + 1]);
    Delivery delivery = s.delivered(s.job(10));
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of("liar"), s.reported);
    assertEquals(List.of(0L), s.httpRequests());
  }

  @Test
  void a206WithoutAReadableContentRangeIsUsedWhenItIsExactlyTheRestAskedFor() {
    Setup s = setup(o -> o.rangeAnswer = from -> new Answer(206, null, from(SEGMENT, from)));
    Vanished v = s.vanishingPeer(null);
    Delivery delivery = s.delivered(v.job());
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(List.of(v.reached()), s.httpRequests());
    assertEquals(v.reached(), delivery.p2pBytes());
  }

  @Test
  void a206ThatIsNotTheRestAskedForIsNeverSplicedInTheWholeSegmentOverHttp() {
    List<LongFunction<Answer>> answers = List.of(
        // an unreadable range, 10 bytes too long
        from -> new Answer(206, null, from(SEGMENT, from - 10)),
        // a range that starts elsewhere, said so
        from -> new Answer(206, contentRange(from - 10, LENGTH), from(SEGMENT, from - 10)));
    for (LongFunction<Answer> answer : answers) {
      Setup s = setup(o -> o.rangeAnswer = answer);
      Vanished v = s.vanishingPeer(null);
      Delivery delivery = s.delivered(v.job());
      assertArrayEquals(SEGMENT, delivery.data());
      assertEquals(List.of(v.reached(), 0L), s.httpRequests());
      assertEquals(List.of(), s.reported);
    }
  }

  @Test
  void aPrefetchWhosePeerVanishesHandsItsBytesOnTheNextJobFetchesOnlyTheRest() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("ghost", 40_000, null, "held");
    SegmentJob prefetch = s.job(10, true, null);
    s.clock.advance(1000);
    long reached = s.received();
    assertTrue(reached > 0 && reached < LENGTH, "mid-transfer at " + reached);
    peer.serverChannel().close();
    JobAborted aborted = assertInstanceOf(JobAborted.class, s.failed(prefetch), "a prefetch without a peer ends");
    assertNotNull(aborted.partial(), "what arrived goes with the abort");
    assertEquals(reached, aborted.partial().received());
    Delivery delivery = s.delivered(s.job(3, false, aborted.partial()));
    assertArrayEquals(SEGMENT, delivery.data());
    assertEquals(reached, delivery.p2pBytes());
    assertEquals(List.of(reached), s.httpRequests(), "only the rest over HTTP");
  }

  @Test
  void aPeerSlowerThanTheSegmentPlaysIsAbandonedEarlyAndAskedLessOften() {
    Setup s = setup(o -> o.bitrate = 50_000);
    RemotePeer peer = s.addPeer("snail", 20_000, null, "held"); // 20 kB/s < 50 kB/s
    Delivery delivery = s.delivered(s.job(10));
    assertEquals(1, s.fallbacks(FallbackReason.SLOW));
    assertTrue(delivery.p2pBytes() > 0, "the range that arrived is kept");
    assertEquals(List.of(delivery.p2pBytes()), s.httpRequests());
    assertEquals(1, peer.peer().score().strikes());
    assertTrue(peer.peer().score().penalized(s.httpTimes().get(0)), "not asked again for a while");
    assertTrue(s.httpTimes().get(0) - 1000 < 1000, "abandoned after the probe time, long before the deadline");
  }

  @Test
  void aPeerAnnouncingItIsFetchingTheSegmentIsWaitedForThenAsked() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("early", 0, null, "fetching");
    SegmentJob job = s.job(10);
    s.clock.advance(500);
    assertEquals(List.of(), s.httpRequests());
    peer.peerStore().put(SWARM, SEQUENCE, SEGMENT.clone());
    peer.server().sendHave(new Holdings(peer.peerStore().holdings(SWARM).held(), List.of()));
    Delivery delivery = s.delivered(job);
    assertEquals(LENGTH, delivery.p2pBytes());
  }

  @Test
  void aNewcomerStillJoiningWaitsForItsFirstPeerThenGetsTheSegmentFromIt() {
    Setup s = setup(o -> o.live = false);
    s.joiningUntil = s.clock.now() + PeerEngine.JOIN_GRACE_MS;
    SegmentJob job = s.job(10);
    s.clock.advance(PeerEngine.JOIN_GRACE_MS / 2);
    assertEquals(List.of(), s.httpRequests(), "no peer connected yet, still joining");
    s.addPeer("first");
    Delivery delivery = s.delivered(job);
    assertEquals(List.of((long) LENGTH, 0L), List.of(delivery.p2pBytes(), delivery.httpBytes()));
  }

  @Test
  void aNewcomerWhosePeersDoNotComeWithinTheJoinGraceFetchesOverHttpThen() {
    Setup s = setup(o -> o.live = false);
    long joinedUntil = s.clock.now() + PeerEngine.JOIN_GRACE_MS;
    s.joiningUntil = joinedUntil;
    SegmentJob job = s.job(10);
    s.clock.advance(PeerEngine.JOIN_GRACE_MS - 1);
    assertEquals(List.of(), s.httpRequests());
    Delivery delivery = s.delivered(job);
    assertEquals(LENGTH, delivery.httpBytes());
    assertEquals(List.of(joinedUntil), s.httpTimes());
  }

  @Test
  void namedElsewhereTheSwarmIsWaitedForThePatienceThenTheOwnRuleDecides() {
    // The own rule would seed: it does so once the named viewer stayed silent for the patience.
    Setup s = setup(o -> {
      o.seedShare = 1;
      o.steeredAway = true;
    });
    s.addPeer("empty", 0, null, "none");
    long startedAt = s.clock.now();
    SegmentJob job = s.job(10);
    s.clock.advance(SegmentJob.STEER_PATIENCE_MS - 100);
    assertEquals(List.of(), s.httpRequests(), "waiting for the named viewer");
    s.delivered(job);
    assertEquals(List.of(startedAt + SegmentJob.STEER_PATIENCE_MS), s.httpTimes());

    // A viewer announcing it is fetching it keeps the wait going past the patience.
    Setup kept = setup(o -> {
      o.seedShare = 1;
      o.steeredAway = true;
    });
    kept.addPeer("fetching", 0, null, "fetching");
    kept.job(10);
    kept.clock.advance(SegmentJob.STEER_PATIENCE_MS + 1000);
    assertEquals(List.of(), kept.httpRequests());
  }

  @Test
  void nobodyAnnouncesANewLiveSegmentByTheDeadlineHttpThenASeederGoesAtOnce() {
    Setup waiting = setup();
    waiting.addPeer("empty", 0, null, "none");
    SegmentJob job = waiting.job(4); // deadline: 4 s - 2 s window - 30 ms of HTTP
    waiting.clock.advance(1900);
    assertEquals(List.of(), waiting.httpRequests());
    waiting.delivered(job);
    assertEquals(List.of(0L), waiting.httpRequests());

    Setup seeding = setup(o -> o.seedShare = 1);
    seeding.addPeer("empty", 0, null, "none");
    long startedAt = seeding.clock.now();
    seeding.delivered(seeding.job(4));
    assertEquals(List.of(startedAt), seeding.httpTimes(), "at once");
  }

  @Test
  void aPeerWhoseLinkClosedAsItWasAskedHttpAtOnceAndNothingKeepsRunning() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("gone");
    // The transport refuses the REQUEST: the link closes within request(), which answers onClose at once.
    peer.serverChannel().other().refuseSends();
    Delivery delivery = s.delivered(s.job(10));
    assertEquals(LENGTH, delivery.httpBytes());
    assertEquals(1, s.fallbacks(FallbackReason.CLOSED));
    s.clock.advance(20_000);
    assertEquals(0, s.clock.pending(), "no transfer check left behind");
  }

  @Test
  void aCancelledJobStopsItsTransferAndDeliversNothing() {
    Setup s = setup();
    RemotePeer peer = s.addPeer("a", 10_000, null, "held");
    SegmentJob job = s.job(10);
    s.clock.advance(300);
    job.cancel();
    s.clock.settle();
    assertTrue(job.done());
    Throwable failure = job.result().cause();
    assertInstanceOf(JobAborted.class, failure);
    assertTrue(failure.getMessage().contains("cancelled"), failure.getMessage());
    assertFalse(s.store.has(SWARM, SEQUENCE));
    // Beyond the browser's test: the peer was told (it sends nothing more), and this viewer no
    // longer announces the segment as being fetched.
    int sent = peer.serverChannel().sent.size();
    s.clock.advance(5000);
    assertEquals(sent, peer.serverChannel().sent.size(), "the peer stopped sending");
    assertEquals(List.of(), s.store.holdings(SWARM).fetching());
  }
}
