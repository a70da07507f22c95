package dev.swarmcdn.chaos;

import dev.swarmcdn.peer.player.VirtualPlayer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether anything bad reached a viewer: the SHA-256 of every segment handed to a player, by path,
 * compared at the end with the origin's bytes of that path (the origin is the truth; edges, disks
 * and peers are what the faults hit). Two viewers handed different bytes for one path count too.
 */
final class SegmentAudit {

  /** @param verified paths whose bytes matched the origin's, @param mismatched paths that did not (or differed between viewers), @param unverifiable paths the origin no longer had */
  record Outcome(long handed, int verified, int mismatched, int unverifiable) {
    @Override
    public String toString() {
      return handed + " segments handed to players, " + verified + " paths match the origin, " + mismatched
          + " do not, " + unverifiable + " gone from the origin";
    }
  }

  private final Map<String, String> hashByPath = new ConcurrentHashMap<>();
  private final Map<String, Boolean> disagreed = new ConcurrentHashMap<>();
  private final AtomicLong handed = new AtomicLong();

  /** Called on a viewer's engine thread for every segment its player got. */
  void record(VirtualPlayer.SegmentEvent event) {
    handed.incrementAndGet();
    String path = URI.create(event.ref().url()).getPath();
    String hash = sha256(event.delivery().data());
    String earlier = hashByPath.putIfAbsent(path, hash);
    if (earlier != null && !earlier.equals(hash)) {
      disagreed.put(path, true);
    }
  }

  /** Fetches every path handed to a player from {@code originUrl} and compares. */
  Outcome compareWith(String originUrl) throws Exception {
    int verified = 0;
    int mismatched = 0;
    int gone = 0;
    for (Map.Entry<String, String> entry : hashByPath.entrySet()) {
      HttpResponse<byte[]> answer = Http.get(originUrl + entry.getKey());
      if (answer.statusCode() == 404) {
        gone++;
      } else if (answer.statusCode() == 200 && sha256(answer.body()).equals(entry.getValue())
          && !disagreed.containsKey(entry.getKey())) {
        verified++;
      } else {
        mismatched++;
      }
    }
    return new Outcome(handed.get(), verified, mismatched, gone);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
