package dev.swarmcdn.tracker.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.swarmcdn.tracker.fleet.FleetFigures;
import dev.swarmcdn.tracker.fleet.FleetView;
import dev.swarmcdn.tracker.fleet.StreamFigures;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /streams} of a clustered tracker: every instance answers, on the clustered event bus
 * at an address of its own, with its figures; the one asked sums them. Asked when read, not
 * pushed: figures are read seldom (a dashboard, a page) and reported often.
 */
final class ClusteredFleetView implements FleetView {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredFleetView.class);
  private static final String ADDRESS_PREFIX = "swarmcdn.tracker.fleet.";
  /** An instance slower than this to answer is left out of the sums, and the answer says so. */
  private static final long ANSWER_TIMEOUT_MS = 2_000;

  private final HazelcastInstance hazelcast;
  private final EventBus bus;
  private final String node;
  private final FleetFigures figures;

  ClusteredFleetView(HazelcastInstance hazelcast, EventBus bus, String node, FleetFigures figures) {
    this.hazelcast = hazelcast;
    this.bus = bus;
    this.node = node;
    this.figures = figures;
    bus.<String>consumer(ADDRESS_PREFIX + node, request -> request.reply(encode(figures.snapshot()).encode()));
  }

  static FleetView.Factory factory(HazelcastInstance hazelcast, EventBus bus, String node) {
    return figures -> new ClusteredFleetView(hazelcast, bus, node, figures);
  }

  @Override
  public Future<JsonObject> streams() {
    Set<Member> members = hazelcast.getCluster().getMembers();
    List<Future<Optional<List<StreamFigures>>>> asked = new ArrayList<>();
    for (Member member : members) {
      String other = member.getUuid().toString();
      asked.add(other.equals(node) ? Future.succeededFuture(Optional.of(figures.snapshot())) : ask(other));
    }
    return Future.join(asked).transform(done -> {
      List<List<StreamFigures>> answers = new ArrayList<>();
      asked.forEach(answer -> answer.result().ifPresent(answers::add));
      return Future.succeededFuture(FleetView.answer(answers, asked.size()));
    });
  }

  /** Another instance's figures, or none if it did not answer in time or answered nonsense. */
  private Future<Optional<List<StreamFigures>>> ask(String other) {
    return bus.<String>request(ADDRESS_PREFIX + other, "", new DeliveryOptions().setSendTimeout(ANSWER_TIMEOUT_MS))
        .map(reply -> Optional.of(decode(new JsonArray(reply.body()))))
        .otherwise(failure -> {
          LOG.warn("tracker {} gave no figures for /streams: {}", other, failure.getMessage());
          return Optional.empty();
        });
  }

  private static JsonArray encode(List<StreamFigures> snapshot) {
    JsonArray array = new JsonArray();
    snapshot.forEach(one -> array.add(one.toJson()));
    return array;
  }

  private static List<StreamFigures> decode(JsonArray array) {
    List<StreamFigures> decoded = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      decoded.add(StreamFigures.fromJson(array.getJsonObject(i)));
    }
    return decoded;
  }
}
