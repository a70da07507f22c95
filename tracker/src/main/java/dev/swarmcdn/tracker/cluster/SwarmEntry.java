package dev.swarmcdn.tracker.cluster;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of one swarm, the value of one entry of the cluster's swarm map. Only entry
 * processors change it, on the member that owns the entry's partition, so a join and a leave of
 * one swarm never race.
 */
final class SwarmEntry implements Serializable {

  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, MemberRecord> members = new LinkedHashMap<>();

  static String key(String stream, String rendition) {
    // Length-prefixed: "a/b" + "c" and "a" + "b/c" stay two swarms.
    return stream.length() + ":" + stream + "/" + rendition;
  }

  Map<String, MemberRecord> members() {
    return members;
  }
}
