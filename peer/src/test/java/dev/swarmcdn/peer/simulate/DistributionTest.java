package dev.swarmcdn.peer.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DistributionTest {

  @Test
  void tailsAreValuesThatOccurred() {
    JsonObject d = Distribution.of(IntStream.rangeClosed(1, 100).mapToDouble(i -> i).toArray());
    assertEquals(50.0, d.getDouble("p50"));
    assertEquals(90.0, d.getDouble("p90"));
    assertEquals(99.0, d.getDouble("p99"));
    assertEquals(100.0, d.getDouble("max"));
    assertEquals(50.5, d.getDouble("mean"));
  }

  @Test
  void oneViewerIsEveryQuantile() {
    JsonObject d = Distribution.of(new double[] {1200});
    assertEquals(1200.0, d.getDouble("p50"));
    assertEquals(1200.0, d.getDouble("p99"));
  }

  @Test
  void noViewerHasOnlyACount() {
    assertEquals(new JsonObject().put("n", 0), Distribution.of(new double[0]));
  }
}
