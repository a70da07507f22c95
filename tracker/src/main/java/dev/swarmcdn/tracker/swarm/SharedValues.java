package dev.swarmcdn.tracker.swarm;

import com.github.benmanes.caffeine.cache.Interner;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;

/**
 * One instance of each swarm id and network prefix that members hold, for as long as any member
 * holds it: thousands of members name a few swarms and prefixes, and each would otherwise keep
 * its own copy, decoded from its own message. Weak, so a value nobody holds any more goes.
 */
public final class SharedValues {

  private static final Interner<SwarmId> SWARMS = Interner.newWeakInterner();
  private static final Interner<NetworkPrefix> NETWORKS = Interner.newWeakInterner();

  private SharedValues() {}

  public static SwarmId swarm(SwarmId swarm) {
    return SWARMS.intern(swarm);
  }

  public static NetworkPrefix network(NetworkPrefix network) {
    return network == null ? null : NETWORKS.intern(network);
  }
}
