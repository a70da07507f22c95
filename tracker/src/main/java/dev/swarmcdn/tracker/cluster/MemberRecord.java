package dev.swarmcdn.tracker.cluster;

import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.swarm.Member;
import java.io.Serializable;

/**
 * A {@link Member} as the cluster stores it: plain serialisable fields, plus the instance that
 * holds the member's connection, so that the member can be dropped when that instance goes.
 */
record MemberRecord(String peerId, String stream, String rendition, String edge, String network,
    int uploadSlots, Long have, boolean complete, boolean live, boolean seeder, String node) implements Serializable {

  static MemberRecord of(Member member, String node) {
    return new MemberRecord(member.peerId(), member.swarm().stream(), member.swarm().rendition(),
        member.edge(), member.network() == null ? null : member.network().cidr(), member.uploadSlots(),
        member.have(), member.complete(), member.live(), member.seeder(), node);
  }

  Member member() {
    return new Member(peerId, new SwarmId(stream, rendition), edge,
        network == null ? null : new NetworkPrefix(network), uploadSlots, have, complete, live, seeder);
  }

  MemberRecord withHave(long newest) {
    return new MemberRecord(peerId, stream, rendition, edge, network, uploadSlots, newest, complete, live, seeder,
        node);
  }
}
