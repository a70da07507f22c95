package dev.swarmcdn.peer.store;

import dev.swarmcdn.protocol.peer.PeerCodec;
import dev.swarmcdn.protocol.peer.SequenceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * A swarm's holdings as a HAVE carries them: held, then fetching (never both), each a list of
 * ascending ranges that neither overlap nor touch.
 */
public record Holdings(List<SequenceRange> held, List<SequenceRange> fetching) {
  public static final Holdings NONE = new Holdings(List.of(), List.of());

  public Holdings {
    held = List.copyOf(held);
    fetching = List.copyOf(fetching);
  }

  /**
   * Sequence numbers as ranges; at most {@code max} of them, the newest kept when there are more.
   */
  public static List<SequenceRange> toRanges(SortedSet<Long> sequences, int max) {
    List<SequenceRange> ranges = new ArrayList<>();
    long first = -1;
    long count = 0;
    for (long sequence : sequences) {
      if (count > 0 && first + count == sequence && count < PeerCodec.U32_MAX) {
        count++;
        continue;
      }
      if (count > 0) {
        ranges.add(new SequenceRange(first, count));
      }
      first = sequence;
      count = 1;
    }
    if (count > 0) {
      ranges.add(new SequenceRange(first, count));
    }
    return ranges.size() > max ? List.copyOf(ranges.subList(ranges.size() - max, ranges.size())) : ranges;
  }
}
