package dev.swarmcdn.peer.integrity;

import dev.swarmcdn.peer.http.HttpSource;
import dev.swarmcdn.peer.util.Clock;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestEntry;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import dev.swarmcdn.protocol.integrity.SegmentVerdict;
import dev.swarmcdn.protocol.integrity.VerifiedManifest;
import io.vertx.core.Future;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's integrity manifests of the playlists a viewer plays, kept verified and fresh, as the
 * browser's IntegrityManifests (docs/PROTOCOL.md, "Verifying"): the key document, manifests whose
 * Ed25519 signature is checked and bound to the playlist's path, and the SHA-256 check of a
 * segment's bytes against its entry. Old manifests stay valid for the segments they list, so the
 * entries of successive live manifests are merged per playlist. Confined to the engine's thread.
 */
public final class IntegrityManifests {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrityManifests.class);
  /** Entries older than this many sequence numbers behind the newest are forgotten. */
  private static final int KEEP_ENTRIES = 256;
  /** A manifest is not fetched again sooner than this after the last fetch. */
  private static final long MIN_REFRESH_MS = 250;
  /** After a refused manifest, the playlist's segments come over HTTP only for this long. */
  private static final long BROKEN_MS = 30_000;
  private static final Pattern TAG = Pattern.compile("^#EXT-X-SWARMCDN-INTEGRITY:.*URI=\"([^\"]+)\"", Pattern.MULTILINE);
  private static final Pattern TOKEN_SEGMENT = Pattern.compile("^/~t/[^/]+");

  private final HttpSource http;
  private final Clock clock;
  private final PublicKeyDocument pinnedKey;
  private final String keyUrl;
  private final Map<String, Future<ManifestVerifier>> verifiers = new HashMap<>();
  private final Map<String, PlaylistManifests> playlists = new HashMap<>();
  private final Map<String, String> tagged = new HashMap<>();

  private static final class PlaylistManifests {
    final String manifestUrl;
    final TreeMap<Long, ManifestEntry> entries = new TreeMap<>();
    Future<Void> refreshing;
    long lastFetch = Long.MIN_VALUE / 2;
    long brokenUntil = Long.MIN_VALUE;

    PlaylistManifests(String manifestUrl) {
      this.manifestUrl = manifestUrl;
    }
  }

  /**
   * @param pinnedKey  the origin's key document, or null to fetch it
   * @param keyUrl     where to fetch it from, or null for {@code /keys/integrity.json} of the
   *                   playlist's server
   */
  public IntegrityManifests(HttpSource http, Clock clock, PublicKeyDocument pinnedKey, String keyUrl) {
    this.http = http;
    this.clock = clock;
    this.pinnedKey = pinnedKey;
    this.keyUrl = keyUrl;
  }

  /** The path a manifest names for a playlist URL: its path without a leading access token segment. */
  public static String manifestPath(String playlistUrl) {
    return TOKEN_SEGMENT.matcher(URI.create(playlistUrl).getRawPath()).replaceFirst("");
  }

  /** Remembers the URI a playlist's {@code EXT-X-SWARMCDN-INTEGRITY} tag names. */
  public void notePlaylist(String playlistUrl, String text) {
    Matcher match = TAG.matcher(text);
    if (match.find()) {
      tagged.put(playlistUrl, match.group(1));
    }
  }

  private PlaylistManifests state(String playlistUrl) {
    return playlists.computeIfAbsent(playlistUrl, url -> {
      String uri = tagged.get(url);
      if (uri == null) {
        String path = URI.create(url).getRawPath();
        uri = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.m3u8$", ".integrity.json");
      }
      return new PlaylistManifests(URI.create(url).resolve(uri).toString());
    });
  }

  /** False for a while after a playlist's manifest proved missing or invalid: its segments then come over HTTP only. */
  public boolean usable(String playlistUrl) {
    PlaylistManifests state = playlists.get(playlistUrl);
    return state == null || clock.now() >= state.brokenUntil;
  }

  /** The entry for a segment, when a verified manifest listed it, else null. */
  public ManifestEntry entry(String playlistUrl, long sequence) {
    PlaylistManifests state = playlists.get(playlistUrl);
    return state == null ? null : state.entries.get(sequence);
  }

  /**
   * Fetches and verifies the playlist's manifest now, unless one is on its way or came very recently.
   * Never fails: a failure keeps the playlist from P2P for a while and is logged.
   *
   * @param want  a sequence the caller needs (no refetch when it is already known), or -1
   */
  public Future<Void> refresh(String playlistUrl, long want) {
    PlaylistManifests state = state(playlistUrl);
    if (want >= 0 && state.entries.containsKey(want)) {
      return Future.succeededFuture();
    }
    if (state.refreshing != null) {
      return state.refreshing;
    }
    if (clock.now() - state.lastFetch < MIN_REFRESH_MS) {
      return Future.succeededFuture();
    }
    state.lastFetch = clock.now();
    Future<Void> loading = load(playlistUrl, state).recover(e -> {
      state.brokenUntil = clock.now() + BROKEN_MS;
      LOG.warn("integrity manifest of {} refused; its segments come over HTTP only for now: {}", playlistUrl,
          e.getMessage());
      return Future.succeededFuture();
    }).andThen(ignored -> state.refreshing = null);
    state.refreshing = loading.isComplete() ? null : loading;
    return loading;
  }

  /**
   * Whether {@code bytes} are segment {@code sequence} (URI {@code uri} in the playlist). An unknown
   * segment gets one manifest refresh before the answer stays {@code UNKNOWN}.
   */
  public Future<SegmentVerdict> check(String playlistUrl, long sequence, String uri, byte[] bytes) {
    ManifestEntry known = entry(playlistUrl, sequence);
    if (known != null && known.uri().equals(uri)) {
      return Future.succeededFuture(verify(known, uri, bytes));
    }
    state(playlistUrl).lastFetch = Long.MIN_VALUE / 2;
    return refresh(playlistUrl, -1).map(ignored -> verify(entry(playlistUrl, sequence), uri, bytes));
  }

  /** Whether {@code bytes} are the segment a manifest entry describes. */
  static SegmentVerdict verify(ManifestEntry entry, String uri, byte[] bytes) {
    if (entry == null || !entry.uri().equals(uri)) {
      return SegmentVerdict.UNKNOWN;
    }
    if (entry.size() != bytes.length) {
      return SegmentVerdict.MISMATCH;
    }
    return MessageDigest.isEqual(HexFormat.of().parseHex(entry.sha256()), sha256(bytes))
        ? SegmentVerdict.MATCHES : SegmentVerdict.MISMATCH;
  }

  private Future<Void> load(String playlistUrl, PlaylistManifests state) {
    return verifier(playlistUrl).compose(verifier -> http.get(state.manifestUrl).map(body -> {
      VerifiedManifest manifest;
      try {
        manifest = verifier.verify(IntegrityManifestCodec.decode(body.getBytes()), manifestPath(playlistUrl));
      } catch (Exception e) {
        throw new IllegalStateException(state.manifestUrl + ": " + e.getMessage(), e);
      }
      long first = manifest.content().mediaSequence();
      var segments = manifest.content().segments();
      for (int i = 0; i < segments.size(); i++) {
        state.entries.put(first + i, segments.get(i));
      }
      state.entries.headMap(first + segments.size() - KEEP_ENTRIES).clear();
      return null;
    }));
  }

  private Future<ManifestVerifier> verifier(String playlistUrl) {
    String url = pinnedKey != null ? "pinned" : URI.create(playlistUrl).resolve(keyUrl != null ? keyUrl : PublicKeyDocument.PATH).toString();
    Future<ManifestVerifier> verifier = verifiers.get(url);
    if (verifier == null) {
      verifier = pinnedKey != null ? Future.succeededFuture(ManifestVerifier.forKeyDocument(pinnedKey))
          : http.get(url).map(body -> ManifestVerifier.forKeyDocument(PublicKeyDocument.fromJson(body.getBytes())));
      verifier.onFailure(e -> verifiers.remove(url));
      verifiers.put(url, verifier);
    }
    return verifier;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
