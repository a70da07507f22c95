package dev.swarmcdn.edge.forwarding.integrity;

import dev.swarmcdn.edge.forwarding.upstream.Upstream;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.forwarding.upstream.WholeBody;
import dev.swarmcdn.protocol.integrity.ManifestVerifier;
import dev.swarmcdn.protocol.integrity.PublicKeyDocument;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The origins' integrity keys, each fetched once from the origin itself, never through another
 * edge: a key from another edge would let that edge vouch for its own bytes.
 */
final class OriginKeys {

  static final String PATH_PREFIX = "/keys/";
  static final String DOCUMENT = PATH_PREFIX + "integrity.json";
  private static final long MAX_DOCUMENT_BYTES = 4096;

  private final UpstreamClient upstream;
  private final String edgeId;
  /** By the origins of a route; a failed fetch is forgotten, so the next check asks again. */
  private final Map<List<Upstream>, Future<ManifestVerifier>> verifiers = new ConcurrentHashMap<>();

  OriginKeys(UpstreamClient upstream, String edgeId) {
    this.upstream = upstream;
    this.edgeId = edgeId;
  }

  Future<ManifestVerifier> verifierFor(List<Upstream> origins) {
    Future<ManifestVerifier> known = verifiers.computeIfAbsent(origins, this::fetch);
    return known.onFailure(failed -> verifiers.remove(origins, known));
  }

  /** The origin signs with another key now (it was replaced): ask again next time. */
  void forget(List<Upstream> origins) {
    verifiers.remove(origins);
  }

  private Future<ManifestVerifier> fetch(List<Upstream> origins) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(UpstreamClient.HOP_HEADER, edgeId);
    return upstream.get(origins, DOCUMENT, headers).compose(response -> {
      if (response.statusCode() != 200) {
        response.request().reset();
        return Future.failedFuture(new IOException("the origin answered " + response.statusCode() + " for " + DOCUMENT));
      }
      return WholeBody.read(response, MAX_DOCUMENT_BYTES);
    }).map(json -> ManifestVerifier.forKeyDocument(PublicKeyDocument.fromJson(json.getBytes())));
  }
}
