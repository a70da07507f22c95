package dev.swarmcdn.edge.forwarding.integrity;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.cache.CacheKeys;
import dev.swarmcdn.edge.forwarding.fill.PeerCheck;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import dev.swarmcdn.protocol.integrity.IntegrityManifest;
import dev.swarmcdn.protocol.integrity.IntegrityManifestCodec;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.SegmentVerdict;
import dev.swarmcdn.protocol.integrity.VerifiedManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks segments another edge sends (owner routing) against the origin's signed integrity
 * manifest before this edge serves or caches a byte of them, so that even an edge admitted to the
 * set cannot poison the others; a manifest another edge sends is taken only with a valid signature. The manifest comes through this edge's own cache (the players
 * fetch it anyway, so it is usually there: the common path costs a hash and a signature check),
 * the key from the origin itself ({@link OriginKeys}). Whatever fails, or cannot be checked
 * (no manifest, not listed in it), is fetched from the origins instead, and counted.
 */
public final class SegmentIntegrity {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentIntegrity.class);

  private final OriginKeys keys;
  private final CacheKeys cacheKeys;
  private final Counter verified;
  private final Counter rejected;

  public SegmentIntegrity(UpstreamClient upstream, String edgeId,
      CacheKeys cacheKeys, MeterRegistry registry) {
    this.keys = new OriginKeys(upstream, edgeId);
    this.cacheKeys = cacheKeys;
    this.verified = Counter.builder("edge_peer_segments_total").tag("outcome", "verified")
        .description("Segments from another edge, by whether they matched the origin's signed manifest "
            + "(rejected: not served, not cached, fetched from the origin)")
        .register(registry);
    this.rejected = Counter.builder("edge_peer_segments_total").tag("outcome", "rejected")
        .description("Segments from another edge, by whether they matched the origin's signed manifest "
            + "(rejected: not served, not cached, fetched from the origin)")
        .register(registry);
  }

  /** Whether an object of this path coming from another edge is checked (and only then taken). */
  public boolean applies(CacheKey key) {
    return ManifestLocation.isSegment(key.path()) || ManifestLocation.isManifest(key.path());
  }

  /** The check of one fill of {@code key}; a segment's manifest comes from {@code manifests}. */
  public PeerCheck checkFor(Route route, CacheKey key, ObjectSource manifests) {
    if (ManifestLocation.isManifest(key.path())) {
      return body -> keys.verifierFor(route.upstreams())
          .map(verifier -> signed(route, verifier, body.getBytes(), ManifestLocation.playlistOf(key.path())) != null)
          .otherwise(false)
          .map(this::counted);
    }
    return body -> verify(route, key, body, manifests).map(this::counted);
  }

  private boolean counted(boolean matches) {
    (matches ? verified : rejected).increment();
    return matches;
  }

  private Future<Boolean> verify(Route route, CacheKey key, Buffer body, ObjectSource manifests) {
    ManifestLocation location = ManifestLocation.of(key.path());
    CacheKey manifestKey = cacheKeys.of(route.keyHost(), location.manifestPath(), null);
    return keys.verifierFor(route.upstreams())
        .compose(verifier -> manifests.fetch(route, manifestKey, false).compose(json -> {
          SegmentVerdict verdict = check(route, verifier, json, location, body);
          if (verdict != SegmentVerdict.UNKNOWN) {
            return Future.succeededFuture(verdict == SegmentVerdict.MATCHES);
          }
          // Not listed yet in the copy this edge holds (a live window moved on since): the origin's.
          return manifests.fetch(route, manifestKey, true)
              .map(newer -> check(route, verifier, newer, location, body) == SegmentVerdict.MATCHES);
        }))
        .otherwise(failure -> {
          LOG.debug("{} from another edge could not be checked: {}", key, failure.toString());
          return false;
        });
  }

  /** MISMATCH for a manifest that is not the origin's. */
  private SegmentVerdict check(Route route, ManifestVerifier verifier, byte[] json, ManifestLocation location,
      Buffer body) {
    VerifiedManifest manifest = signed(route, verifier, json, location.playlistPath());
    return manifest == null ? SegmentVerdict.MISMATCH
        : manifest.verifySegment(location.segmentUri(), body.getBytes());
  }

  /** The manifest if the origin's key signed it for this playlist, else null. */
  private VerifiedManifest signed(Route route, ManifestVerifier verifier, byte[] json, String playlistPath) {
    try {
      IntegrityManifest manifest = IntegrityManifestCodec.decode(json);
      if (!verifier.keyId().equals(manifest.keyId())) {
        // Signed by a key this edge does not know: the origin may have a new one.
        keys.forget(route.upstreams());
        return null;
      }
      return verifier.verify(manifest, playlistPath);
    } catch (Exception refused) {
      // A manifest that is malformed or whose signature fails proves nothing.
      return null;
    }
  }
}
