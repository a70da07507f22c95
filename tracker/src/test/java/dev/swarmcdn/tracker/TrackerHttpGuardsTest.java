package dev.swarmcdn.tracker;

import dev.swarmcdn.kit.http.framing.MalformedHeads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What the tracker's HTTP side does with hostile connections: malformed heads. */
class TrackerHttpGuardsTest {

  private RunningTracker tracker;

  @BeforeEach
  void start() throws Exception {
    tracker = RunningTracker.start(TrackerConfig.builder());
  }

  @AfterEach
  void stop() throws Exception {
    tracker.close();
  }

  /** Request smuggling shapes, duplicate or missing Host, bad escapes: 400, closed, nothing after read. */
  @ParameterizedTest
  @FieldSource("dev.swarmcdn.kit.http.framing.MalformedHeads#HEADS")
  void malformedHeadsAreRefusedAndTheConnectionClosed(String head) throws Exception {
    MalformedHeads.assertRefused(tracker.server().port(), head, "/health");
  }
}
