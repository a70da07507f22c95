package dev.swarmcdn.peer.engine;

import dev.swarmcdn.kit.http.tls.TlsTrust;
import dev.swarmcdn.peer.upload.UploadTamper;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import dev.swarmcdn.protocol.registry.IceServer;
import java.util.List;

/**
 * An engine's options, with the browser engine's names and defaults (web-player README,
 * "Options"). Checked when built: a value out of range is refused by name.
 *
 * @param tracker        WebSocket URL of the tracker; null with {@code route}
 * @param trackers       more trackers' WebSocket URLs, after the first ({@code tracker}'s or the route's):
 *                       when the tracker connection dies, the engine reconnects to the next in turn
 *                       and joins its swarms there
 * @param route          URL of the tracker's {@code /route}, asked for the edge, tracker, tokens and ICE servers
 * @param swarmId        stream name of the swarms instead of the one read from playlist URLs, or null
 * @param p2p            share segments at all
 * @param upload         serve segments to peers
 * @param maxPeers       peers connected at once, 1 to 50
 * @param httpWindow     seconds: segments due sooner come over HTTP
 * @param p2pWindow      seconds: upcoming segments due up to this far ahead are fetched from peers
 * @param maxUploadRate  bytes per second served to peers, all together (0: no limit)
 * @param uploadSlots    transfers served at once
 * @param maxCacheBytes  memory for segments kept to serve peers
 * @param seedShare      0 to 1: the chance of fetching a new live segment over HTTP at once
 * @param steered        follow the tracker's assignments of new live segments where it makes them;
 *                       false keeps this viewer's own rule (the comparison runs of the benchmark)
 * @param iceServers     ICE servers; null: the route's, else the edge's {@code /_edge/ice-servers}
 * @param relayOnly      connect to peers through TURN relays only (the browser's
 *                       {@code iceTransportPolicy: 'relay'}): needs a TURN server among the ICE servers
 * @param integrityKey   the origin's key document, or null to fetch {@code /keys/integrity.json} of the edge
 * @param joinToken      the tracker's join token, or null (a route answer brings its own)
 * @param edgeId         what {@code join} names as the edge, or null for the playlist's origin
 * @param flags          HELLO flags ({@code Hello.SEEDER} for an edge seeder)
 * @param tamper         null; tests and the benchmark's liar only
 * @param trust          whom the engine's HTTPS and WSS clients believe: the JVM's CAs, plus a
 *                       {@code --tls-ca} file's
 */
public record EngineOptions(String tracker, List<String> trackers, String route, String swarmId, boolean p2p, boolean upload, int maxPeers,
    double httpWindow, double p2pWindow, long maxUploadRate, int uploadSlots, long maxCacheBytes, double seedShare,
    boolean steered, List<IceServer> iceServers, boolean relayOnly, PublicKeyDocument integrityKey, String joinToken, String edgeId, int flags,
    UploadTamper tamper, TlsTrust trust) {

  public EngineOptions {
    trust = trust == null ? TlsTrust.JVM : trust;
    trackers = trackers == null ? List.of() : List.copyOf(trackers);
    check("maxPeers", maxPeers, 1, 50);
    check("httpWindow", httpWindow, 0, 600);
    check("p2pWindow", p2pWindow, 0, 3600);
    check("maxUploadRate", maxUploadRate, 0, Long.MAX_VALUE);
    check("uploadSlots", uploadSlots, 0, 1024);
    check("maxCacheBytes", maxCacheBytes, 0, Long.MAX_VALUE);
    check("seedShare", seedShare, 0, 1);
    iceServers = iceServers == null ? null : List.copyOf(iceServers);
  }

  private static void check(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException("option " + name + " must be a number from " + min + " to " + max
          + ", not " + value);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.tracker = tracker;
    b.trackers = trackers;
    b.route = route;
    b.swarmId = swarmId;
    b.p2p = p2p;
    b.upload = upload;
    b.maxPeers = maxPeers;
    b.httpWindow = httpWindow;
    b.p2pWindow = p2pWindow;
    b.maxUploadRate = maxUploadRate;
    b.uploadSlots = uploadSlots;
    b.maxCacheBytes = maxCacheBytes;
    b.seedShare = seedShare;
    b.steered = steered;
    b.iceServers = iceServers;
    b.relayOnly = relayOnly;
    b.integrityKey = integrityKey;
    b.joinToken = joinToken;
    b.edgeId = edgeId;
    b.flags = flags;
    b.tamper = tamper;
    b.trust = trust;
    return b;
  }

  /** The defaults of the browser engine. */
  public static final class Builder {
    private String tracker;
    private List<String> trackers = List.of();
    private String route;
    private String swarmId;
    private boolean p2p = true;
    private boolean upload = true;
    private int maxPeers = 6;
    private double httpWindow = 2;
    private double p2pWindow = 20;
    private long maxUploadRate = 2_000_000;
    private int uploadSlots = 4;
    private long maxCacheBytes = 64L * 1024 * 1024;
    private double seedShare = 0.05;
    private boolean steered = true;
    private List<IceServer> iceServers;
    private boolean relayOnly;
    private PublicKeyDocument integrityKey;
    private String joinToken;
    private String edgeId;
    private int flags;
    private UploadTamper tamper;
    private TlsTrust trust = TlsTrust.JVM;

    public Builder tracker(String url) {
      this.tracker = url;
      return this;
    }

    /** The first of {@code urls} as {@code tracker}, the rest as {@code trackers} (a {@code --tracker A,B} flag). */
    public Builder trackerUrls(List<String> urls) {
      this.tracker = urls == null || urls.isEmpty() ? null : urls.get(0);
      this.trackers = urls == null || urls.isEmpty() ? List.of() : urls.subList(1, urls.size());
      return this;
    }

    /** More trackers, after the first, moved to in turn when the tracker connection dies. */
    public Builder trackers(List<String> urls) {
      this.trackers = urls;
      return this;
    }

    public Builder route(String url) {
      this.route = url;
      return this;
    }

    public Builder swarmId(String id) {
      this.swarmId = id;
      return this;
    }

    public Builder p2p(boolean on) {
      this.p2p = on;
      return this;
    }

    public Builder upload(boolean on) {
      this.upload = on;
      return this;
    }

    public Builder maxPeers(int peers) {
      this.maxPeers = peers;
      return this;
    }

    public Builder httpWindow(double seconds) {
      this.httpWindow = seconds;
      return this;
    }

    public Builder p2pWindow(double seconds) {
      this.p2pWindow = seconds;
      return this;
    }

    public Builder maxUploadRate(long bytesPerSecond) {
      this.maxUploadRate = bytesPerSecond;
      return this;
    }

    public Builder uploadSlots(int slots) {
      this.uploadSlots = slots;
      return this;
    }

    public Builder maxCacheBytes(long bytes) {
      this.maxCacheBytes = bytes;
      return this;
    }

    public Builder seedShare(double share) {
      this.seedShare = share;
      return this;
    }

    public Builder steered(boolean follow) {
      this.steered = follow;
      return this;
    }

    public Builder iceServers(List<IceServer> servers) {
      this.iceServers = servers;
      return this;
    }

    /** TURN relay candidates only: how a viewer behind a strict firewall connects, and how relays are tested. */
    public Builder relayOnly(boolean only) {
      this.relayOnly = only;
      return this;
    }

    public Builder integrityKey(PublicKeyDocument key) {
      this.integrityKey = key;
      return this;
    }

    public Builder joinToken(String token) {
      this.joinToken = token;
      return this;
    }

    public Builder edgeId(String id) {
      this.edgeId = id;
      return this;
    }

    public Builder flags(int helloFlags) {
      this.flags = helloFlags;
      return this;
    }

    /** Whom HTTPS and WSS clients believe: the JVM's CAs, and a {@code --tls-ca} file's. */
    public Builder trust(TlsTrust value) {
      this.trust = value;
      return this;
    }

    public Builder tamper(UploadTamper uploadTamper) {
      this.tamper = uploadTamper;
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(tracker, trackers, route, swarmId, p2p, upload, maxPeers, httpWindow, p2pWindow, maxUploadRate,
          uploadSlots, maxCacheBytes, seedShare, steered, iceServers, relayOnly, integrityKey, joinToken, edgeId, flags, tamper,
          trust);
    }
  }
}
