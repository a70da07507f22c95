package dev.swarmcdn.tracker.fleet;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The viewers' figures of one stream and rendition at one moment: segment bytes by source, bytes
 * uploaded, stalls, failed integrity checks and reports summed since the tracker started, and the
 * viewers reporting now. Immutable; figures of the same swarm from several trackers add up
 * ({@link #plus}), which is how a cluster answers {@code GET /streams}.
 *
 * @param viewers connections open now whose latest report named this swarm
 */
public record StreamFigures(SwarmId swarm, long http, long p2p, long seeder, long uploaded, long stalls,
    long integrityFailures, long reports, long viewers) {

  public StreamFigures {
    Objects.requireNonNull(swarm, "swarm");
  }

  public StreamFigures plus(StreamFigures other) {
    if (!swarm.equals(other.swarm)) {
      throw new IllegalArgumentException("figures of " + other.swarm + " added to those of " + swarm);
    }
    return new StreamFigures(swarm, http + other.http, p2p + other.p2p, seeder + other.seeder,
        uploaded + other.uploaded, stalls + other.stalls, integrityFailures + other.integrityFailures,
        reports + other.reports, viewers + other.viewers);
  }

  /** Bytes from other viewers over all segment bytes; 0 before any byte. Seeders are edges: not P2P. */
  public double p2pShare() {
    long total = http + p2p + seeder;
    return total == 0 ? 0.0 : (double) p2p / total;
  }

  /** One element of {@code GET /streams}'s {@code streams} (docs/PROTOCOL.md). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("stream", swarm.stream())
        .put("rendition", swarm.rendition())
        .put("bytes", new JsonObject().put("http", http).put("p2p", p2p).put("seeder", seeder))
        .put("p2pShare", p2pShare())
        .put("uploaded", uploaded)
        .put("stalls", stalls)
        .put("integrityFailures", integrityFailures)
        .put("reports", reports)
        .put("viewers", viewers);
  }

  /**
   * Reads what {@link #toJson()} wrote, as another instance of the cluster sends it.
   *
   * @throws IllegalArgumentException for anything else: a missing or mistyped field, a negative count
   */
  public static StreamFigures fromJson(JsonObject json) {
    try {
      JsonObject bytes = json.getJsonObject("bytes");
      return new StreamFigures(new SwarmId(json.getString("stream"), json.getString("rendition")),
          count(bytes, "http"), count(bytes, "p2p"), count(bytes, "seeder"), count(json, "uploaded"),
          count(json, "stalls"), count(json, "integrityFailures"), count(json, "reports"), count(json, "viewers"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a stream's figures: " + e.getMessage(), e);
    }
  }

  private static long count(JsonObject json, String name) {
    long value = Objects.requireNonNull(json.getLong(name), name);
    if (value < 0) {
      throw new IllegalArgumentException(name + " is negative: " + value);
    }
    return value;
  }
}
