package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentsTest {
  private final Assignments assignments = new Assignments();

  @Test
  void aSegmentWithoutAnAssignmentIsLeftToTheEnginesOwnRule() {
    assertNull(assignments.names(7, "me"));
    assignments.record(7, List.of("other"));
    assertFalse(assignments.names(7, "me"));
    assertNull(assignments.names(8, "me"));
    assertFalse(assignments.names(7, null), "before the tracker gave an id, nobody is named");
  }

  @Test
  void theSegmentsAssignedToAPeerFromThePlaylistsFirstOnOldestFirst() {
    assignments.record(5, List.of("me"));
    assignments.record(6, List.of("other"));
    assignments.record(8, List.of("other", "me"));
    assignments.record(7, List.of("me"));
    assertTrue(assignments.names(8, "me"));
    assertEquals(List.of(5L, 7L, 8L), assignments.assignedTo("me", 0));
    assertEquals(List.of(7L, 8L), assignments.assignedTo("me", 6));
    assertNull(assignments.names(5, "me"), "older than the playlist's window: forgotten");
  }

  @Test
  void anAssignedSegmentIsFetchedOnceEvenIfThatFetchFails() {
    assignments.record(5, List.of("me"));
    assignments.record(6, List.of("me"));
    assignments.markStarted(5);
    assertEquals(List.of(6L), assignments.assignedTo("me", 0));
    assertTrue(assignments.names(5, "me"), "still this viewer's to seed");
  }

  @Test
  void onlyTheNewestAreKept() {
    for (long sequence = 0; sequence < Assignments.KEPT + 10; sequence++) {
      assignments.record(sequence, List.of("me"));
    }
    assertNull(assignments.names(9, "me"));
    assertTrue(assignments.names(10, "me"));
    assertEquals(Assignments.KEPT, assignments.assignedTo("me", 0).size());
  }
}
