package dev.swarmcdn.chaos;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * What an edge answers for objects whose disk files were damaged: the origin's bytes (refetched),
 * or an error, but never different bytes.
 *
 * @param same       answered 200 with the origin's bytes
 * @param different  answered 200 with other bytes: what must never happen
 * @param failed     answered otherwise (the origin no longer has it, say)
 */
record DamagedObjects(int same, int different, int failed) {

  static DamagedObjects check(List<DiskDamage.Damaged> damaged, String edgeUrl, String originUrl) throws Exception {
    int same = 0;
    int different = 0;
    int failed = 0;
    for (DiskDamage.Damaged object : damaged) {
      HttpResponse<byte[]> fromEdge = Http.get(edgeUrl + object.path());
      HttpResponse<byte[]> fromOrigin = Http.get(originUrl + object.path());
      if (fromEdge.statusCode() != 200) {
        failed++;
      } else if (fromOrigin.statusCode() == 200
          && SegmentAudit.sha256(fromEdge.body()).equals(SegmentAudit.sha256(fromOrigin.body()))) {
        same++;
      } else {
        different++;
      }
    }
    return new DamagedObjects(same, different, failed);
  }

  @Override
  public String toString() {
    return "damaged objects asked of the restarted edge: " + same + " the origin's bytes, " + different
        + " other bytes, " + failed + " not served";
  }
}
