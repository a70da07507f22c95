package dev.swarmcdn.tracker.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figures of several trackers add up per swarm; what another instance sends is read strictly. */
class FleetViewTest {
  private static final SwarmId SD = new SwarmId("demo", "360p");
  private static final SwarmId HD = new SwarmId("demo", "720p");

  @Test
  void theFiguresOfEveryTrackerAreSummedPerSwarmAndTheAnswerSaysWhoAnswered() {
    List<StreamFigures> east = List.of(new StreamFigures(HD, 10, 30, 0, 5, 1, 0, 3, 1),
        new StreamFigures(SD, 100, 300, 100, 50, 0, 1, 4, 2));
    List<StreamFigures> west = List.of(new StreamFigures(SD, 200, 100, 0, 7, 2, 0, 6, 3));

    JsonObject answer = FleetView.answer(List.of(east, west), 3);

    assertEquals(new JsonObject().put("asked", 3).put("answered", 2), answer.getJsonObject("trackers"));
    JsonArray streams = answer.getJsonArray("streams");
    assertEquals(2, streams.size());
    JsonObject sd = streams.getJsonObject(0);
    assertEquals("360p", sd.getString("rendition"), "sorted by stream, then rendition");
    assertEquals(new JsonObject().put("http", 300L).put("p2p", 400L).put("seeder", 100L), sd.getJsonObject("bytes"));
    assertEquals(0.5, sd.getDouble("p2pShare"), 1e-9, "the share of the sums, not a sum of shares");
    assertEquals(57L, sd.getLong("uploaded"));
    assertEquals(2L, sd.getLong("stalls"));
    assertEquals(1L, sd.getLong("integrityFailures"));
    assertEquals(10L, sd.getLong("reports"));
    assertEquals(5L, sd.getLong("viewers"));
    assertEquals(0.75, streams.getJsonObject(1).getDouble("p2pShare"), 1e-9);
  }

  @Test
  void figuresReadBackAsWrittenAndNonsenseIsRefused() {
    StreamFigures figures = new StreamFigures(SD, 1, 2, 3, 4, 5, 6, 7, 8);
    assertEquals(figures, StreamFigures.fromJson(figures.toJson()));

    JsonObject negative = figures.toJson().put("stalls", -1);
    assertThrows(IllegalArgumentException.class, () -> StreamFigures.fromJson(negative));
    JsonObject noBytes = figures.toJson();
    noBytes.remove("bytes");
    assertThrows(IllegalArgumentException.class, () -> StreamFigures.fromJson(noBytes));
    JsonObject mistyped = figures.toJson().put("viewers", "many");
    assertThrows(IllegalArgumentException.class, () -> StreamFigures.fromJson(mistyped));
    JsonObject badName = figures.toJson().put("stream", "two words");
    assertThrows(IllegalArgumentException.class, () -> StreamFigures.fromJson(badName));
  }

  @Test
  void figuresOfTwoSwarmsDoNotAdd() {
    StreamFigures sd = new StreamFigures(SD, 1, 1, 1, 1, 1, 1, 1, 1);
    StreamFigures hd = new StreamFigures(HD, 1, 1, 1, 1, 1, 1, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> sd.plus(hd));
  }
}
