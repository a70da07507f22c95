package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.player.VirtualPlayer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Whether any viewer played a corrupted segment, checked apart from the engine's own SHA-256: every
 * segment played with bytes from peers is compared with the same segment as some viewer got it
 * wholly over HTTP from the edge. CRC-32C is enough to tell the liar's flipped bytes apart and costs
 * little next to the 100 viewers it runs beside. A segment no viewer got wholly from the edge is
 * fetched from it once, after the run's figures are taken.
 */
final class PlayedCheck implements SwarmSimulation.Played {
  private final Map<String, Long> fromEdge = new ConcurrentHashMap<>();
  private final List<Played> withPeerBytes = new CopyOnWriteArrayList<>();

  private record Played(int viewer, String url, long crc) {
  }

  /** What the check found. */
  record Verdict(long checked, long corrupted, long unverified) {
  }

  @Override
  public void played(int viewer, VirtualPlayer.SegmentEvent event) {
    long crc = crc(event.delivery().data());
    if (event.delivery().p2pBytes() == 0 && event.delivery().seederBytes() == 0) {
      fromEdge.putIfAbsent(event.ref().url(), crc);
    } else {
      withPeerBytes.add(new Played(viewer, event.ref().url(), crc));
    }
  }

  private static long crc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  /**
   * Segments with peer bytes checked, those that differed from the edge's, and those whose edge copy
   * could not be had.
   *
   * @param edge  a segment's bytes from the edge by URL, or null when it has none
   */
  Verdict verdict(Function<String, byte[]> edge) {
    long checked = 0;
    long corrupted = 0;
    long unverified = 0;
    for (Played played : withPeerBytes) {
      Long reference = fromEdge.computeIfAbsent(played.url(), url -> {
        byte[] data = edge.apply(url);
        return data == null ? null : crc(data);
      });
      if (reference == null) {
        unverified++;
      } else {
        checked++;
        if (reference != played.crc()) {
          corrupted++;
        }
      }
    }
    return new Verdict(checked, corrupted, unverified);
  }
}
