package dev.swarmcdn.edge.forwarding.routing;

import dev.swarmcdn.edge.forwarding.cache.CacheKey;
import dev.swarmcdn.edge.forwarding.upstream.Upstream;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import dev.swarmcdn.edge.security.ForwardingToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a miss to the object's owner edge instead of the origin, so the origin sees about one
 * request per object for the whole set of edges. The owner goes to the origin itself, and is
 * listed first with the origins after it: a dead owner costs the client latency, not an error.
 *
 * <p>Loops are impossible: a request that already came from an edge (it carries the hop header) is
 * never sent to another edge. The set of edges can change at any time (configured, or learned from
 * the tracker); fills under way finish against the ring they started with.
 *
 * <p>With access control on, a request forwarded to the owner carries a {@link ForwardingToken} for
 * the object's path: the owner checks tokens like any edge, and the viewers' own stay out of the
 * shared fill. A host-routed object's host goes along in {@link ForwardedHost#HEADER}.
 */
public final class ShieldRouting {

  /**
   * Where one fill goes: the upstreams in order, the owner edge it was sent to, if any, and the
   * request headers the owner needs to accept it.
   *
   * @param viaOwnerEdge whether the first upstream is another edge (the owner), the origins after it
   */
  public record Plan(List<Upstream> upstreams, EdgeRing ring, EdgeRing.Member owner,
      Map<String, String> headers, boolean viaOwnerEdge) {

    public Plan {
      headers = Map.copyOf(headers);
    }

    /** Straight to the origins. */
    public static Plan direct(List<Upstream> origins) {
      return new Plan(origins, null, null, Map.of(), false);
    }

    public void begin() {
      if (owner != null) {
        ring.begin(owner);
      }
    }

    public void end() {
      if (owner != null) {
        ring.end(owner);
      }
    }
  }

  /** The origin's integrity key document lives under it (docs/PROTOCOL.md). */
  static final String KEYS_PREFIX = "/keys/";

  private final String selfId;
  private final ForwardingToken forwardingToken;
  private final Map<String, Upstream> upstreamOfMember = new ConcurrentHashMap<>();
  private volatile EdgeRing ring;

  /**
   * @param members the edges sharing the cache, this one included; empty: no owner routing yet
   * @param forwardingToken signs requests forwarded to an owner; null without access control
   */
  public ShieldRouting(String selfId, List<EdgeRing.Member> members, ForwardingToken forwardingToken) {
    this.selfId = selfId;
    this.forwardingToken = forwardingToken;
    useMembers(members);
  }

  /** Replaces the set of edges. */
  public void useMembers(List<EdgeRing.Member> members) {
    this.ring = members.isEmpty() ? null : new EdgeRing(members, 0.5);
  }

  /** The set of edges now; empty when there is no owner routing. */
  public List<EdgeRing.Member> members() {
    EdgeRing current = ring;
    return current == null ? List.of() : current.members();
  }

  public Plan plan(CacheKey key, boolean fromAnotherEdge, Route route) {
    List<Upstream> origins = route.upstreams();
    EdgeRing current = ring;
    // The key document is what players check everything else with: only the origin's will do.
    if (fromAnotherEdge || current == null || key.path().startsWith(KEYS_PREFIX)) {
      return Plan.direct(origins);
    }
    EdgeRing.Member owner = current.owner(key.toString());
    if (owner.id().equals(selfId)) {
      // Counted like the others: this edge's own fetches are load on it.
      return new Plan(origins, current, owner, Map.of(), false);
    }
    List<Upstream> upstreams = new ArrayList<>(origins.size() + 1);
    upstreams.add(upstreamOfMember.computeIfAbsent(owner.baseUrl(), Upstream::parse));
    upstreams.addAll(origins);
    Map<String, String> headers = new HashMap<>();
    if (forwardingToken != null) {
      headers.put(ForwardingToken.HEADER, forwardingToken.forPath(key.path()));
    }
    if (route.host() != null) {
      // The owner's Host names the owner: it must route by this key's host all the same.
      headers.put(ForwardedHost.HEADER, route.host());
    }
    return new Plan(upstreams, current, owner, headers, true);
  }

  /** Parses {@code ID=URL} entries. */
  public static List<EdgeRing.Member> members(List<String> specs) {
    List<EdgeRing.Member> members = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new IllegalArgumentException("edge peer must be ID=URL, got " + spec);
      }
      String url = spec.substring(eq + 1).trim();
      Upstream.parse(url);
      members.add(new EdgeRing.Member(spec.substring(0, eq).trim(), url));
    }
    return members;
  }
}
