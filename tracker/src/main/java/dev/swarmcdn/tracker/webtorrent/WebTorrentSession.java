package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.session.TrackerConnection;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Announce;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Event;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Offer;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Scrape;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One WebTorrent client's connection: announces put its peer into swarms (one per
 * {@code info_hash}) and relay its offers to peers the tracker picks; answers go back to the peer
 * that offered; scrapes count. The limits, the order of messages and the closing are
 * {@link TrackerConnection}'s; on close the peer leaves every swarm.
 *
 * <p>One socket may carry several {@code peer_id}s: bittorrent-tracker's client shares a socket
 * among every client of a page, and p2p-media-loader has one peer_id per stream. A peer_id belongs
 * to the first connection that announces with it until that connection stops using it; another
 * connection announcing with it is refused, so a peer cannot take over another's answers.
 */
public final class WebTorrentSession implements TrackerConnection.Protocol {

  /** The stream part of every WebTorrent swarm's id; the rendition part is the info_hash in hex. */
  static final String SWARM_NAMESPACE = "webtorrent";

  /** A swarm this connection is in, under one of its peer ids. */
  private record Membership(SwarmId swarm, String peerHex) {}

  /** A peer id this connection holds in the relay, and how many of its memberships use it. */
  private final class Claim implements PeerChannel<String> {
    private final String peerHex;
    private int swarms;

    Claim(String peerHex) {
      this.peerHex = peerHex;
    }

    @Override
    public String peerId() {
      return peerHex;
    }

    @Override
    public void deliver(String frame) {
      connection.send(frame);
    }
  }

  private final TrackerConnection connection;
  private final NetworkPrefix network;
  private final WebTorrentServices services;
  private final Map<String, Claim> claims = new HashMap<>();
  private final Map<Membership, Member> joined = new HashMap<>();

  private WebTorrentSession(TrackerConnection connection, NetworkPrefix network, WebTorrentServices services) {
    this.connection = connection;
    this.network = network;
    this.services = services;
  }

  /** Takes over an accepted WebSocket: must be called on its event loop. */
  public static void open(ServerWebSocket socket, NetworkPrefix network, WebTorrentServices services) {
    TrackerConnection connection = new TrackerConnection(socket, services.rules(), services.metrics(), true);
    connection.start(new WebTorrentSession(connection, network, services));
  }

  static SwarmId swarmOf(BinaryId infoHash) {
    return new SwarmId(SWARM_NAMESPACE, infoHash.hex());
  }

  @Override
  public Future<Void> onMessage(String text, long receivedNanos) {
    WebTorrentRequest request;
    try {
      request = WebTorrentCodec.decode(text);
    } catch (WebTorrentRefusal refusal) {
      return connection.refuse(refusal.code(), WebTorrentCodec.failure(refusal));
    }
    if (request instanceof Scrape scrape) {
      return scrape(scrape);
    }
    Announce announce = (Announce) request;
    if (announce.answer() != null) {
      return answer(announce, receivedNanos);
    }
    services.protocolMetrics().announced(announce.event());
    if (announce.event() == Event.STOPPED) {
      return stop(announce);
    }
    return announce(announce, receivedNanos);
  }

  @Override
  public String refusal(ErrorCode code, String reason) {
    return WebTorrentCodec.failure(reason, null, null);
  }

  @Override
  public void onClose() {
    joined.keySet().forEach(membership -> services.directory().leave(membership.swarm(), membership.peerHex()));
    joined.clear();
    claims.values().forEach(services.relay()::detach);
    claims.clear();
  }

  private Future<Void> announce(Announce announce, long receivedNanos) {
    Membership membership = new Membership(swarmOf(announce.infoHash()), announce.peerId().hex());
    Member current = joined.get(membership);
    Future<Member> admitted;
    if (current == null) {
      admitted = enter(membership, announce);
    } else if (announce.complete() && !current.complete()) {
      // Once complete, always complete, as in bittorrent-tracker: a seeder does not turn back.
      Member seeder = member(membership, true);
      joined.put(membership, seeder);
      admitted = services.directory().join(seeder).map(seeder);
    } else {
      admitted = Future.succeededFuture(current);
    }
    return admitted.compose(member -> member == null ? Future.succeededFuture()
        : reply(announce, membership.swarm()).compose(sent -> relayOffers(announce, member, receivedNanos)));
  }

  /** Puts the peer into the swarm; null, with the refusal sent, if it may not enter. */
  private Future<Member> enter(Membership membership, Announce announce) {
    int maxSwarms = services.rules().limits().maxSwarmsPerConnection();
    if (joined.size() >= maxSwarms) {
      return refuse(ErrorCode.LIMIT_EXCEEDED, "at most " + maxSwarms + " swarms per connection", announce);
    }
    return claim(membership.peerHex()).compose(claim -> {
      if (claim == null) {
        return refuse(ErrorCode.UNAUTHORIZED, "peer_id is in use on another connection", announce);
      }
      Member member = member(membership, announce.complete());
      return services.directory().join(member).compose(admitted -> {
        if (!admitted) {
          release(claim);
          return refuse(ErrorCode.LIMIT_EXCEEDED, "swarm is full", announce);
        }
        if (connection.isClosed()) {
          // The connection went while the directory admitted it: clean-up has run already.
          return services.directory().leave(membership.swarm(), membership.peerHex()).map((Member) null);
        }
        claim.swarms++;
        joined.put(membership, member);
        services.metrics().joined();
        return Future.succeededFuture(member);
      });
    });
  }

  private Member member(Membership membership, boolean complete) {
    // WebTorrent names no edge and no upload slots: peers are matched by network prefix, then at random.
    return new Member(membership.peerHex(), membership.swarm(), null, network, 1, null, complete);
  }

  /** This connection's hold on a peer id; null if another connection holds it. */
  private Future<Claim> claim(String peerHex) {
    Claim held = claims.get(peerHex);
    if (held != null) {
      return Future.succeededFuture(held);
    }
    Claim claim = new Claim(peerHex);
    return services.relay().attach(claim).map(attached -> {
      if (!attached) {
        return null;
      }
      if (connection.isClosed()) {
        services.relay().detach(claim);
        return null;
      }
      claims.put(peerHex, claim);
      return claim;
    });
  }

  private void release(Claim claim) {
    if (claim.swarms == 0 && claims.remove(claim.peerHex) != null) {
      services.relay().detach(claim);
    }
  }

  private Future<Void> reply(Announce announce, SwarmId swarm) {
    return services.directory().size(swarm).map(size -> {
      connection.send(WebTorrentCodec.announceReply(announce.infoHash(), services.intervalSeconds(), size));
      return null;
    });
  }

  /**
   * Each offer to another member, one per member: at most as many as the client sent, asked for
   * (numwant) and the tracker allows, and as the swarm has other members.
   */
  private Future<Void> relayOffers(Announce announce, Member sender, long receivedNanos) {
    int wanted = Math.min(announce.offers().size(), services.maxOffers());
    if (announce.numwant() != null) {
      wanted = Math.min(wanted, announce.numwant());
    }
    if (wanted == 0) {
      return Future.succeededFuture();
    }
    int count = wanted;
    return services.directory().peersFor(sender).map(candidates -> {
      for (int i = 0; i < Math.min(count, candidates.size()); i++) {
        Offer offer = announce.offers().get(i);
        Candidate target = candidates.get(i);
        services.signalling().relay(sender.peerId(), target.member().peerId(), sender.swarm(), SignalKind.OFFER,
            WebTorrentCodec.relayedOffer(offer, announce.peerId(), announce.infoHash()), receivedNanos);
      }
      return null;
    });
  }

  private Future<Void> stop(Announce announce) {
    Membership membership = new Membership(swarmOf(announce.infoHash()), announce.peerId().hex());
    Future<Void> left = Future.succeededFuture();
    if (joined.remove(membership) != null) {
      Claim claim = claims.get(membership.peerHex());
      claim.swarms--;
      release(claim);
      left = services.directory().leave(membership.swarm(), membership.peerHex());
    }
    return left.compose(done -> reply(announce, membership.swarm()));
  }

  /** Relays the answer to the peer that offered; nothing goes back to the answering peer unless refused. */
  private Future<Void> answer(Announce announce, long receivedNanos) {
    Membership membership = new Membership(swarmOf(announce.infoHash()), announce.peerId().hex());
    if (!joined.containsKey(membership)) {
      return refuse(ErrorCode.NOT_JOINED, "announce in this swarm before answering", announce).mapEmpty();
    }
    return services.signalling()
        .relay(membership.peerHex(), announce.answer().to().hex(), membership.swarm(), SignalKind.ANSWER,
            WebTorrentCodec.relayedAnswer(announce.answer(), announce.peerId(), announce.infoHash()), receivedNanos)
        .compose(delivered -> delivered ? Future.succeededFuture()
            : refuse(ErrorCode.UNKNOWN_PEER, "no peer with that to_peer_id in this swarm", announce).mapEmpty());
  }

  private Future<Void> scrape(Scrape scrape) {
    services.protocolMetrics().scraped();
    List<Future<SwarmSize>> sizes = new ArrayList<>(scrape.infoHashes().size());
    for (BinaryId infoHash : scrape.infoHashes()) {
      sizes.add(services.directory().size(swarmOf(infoHash)));
    }
    return Future.all(sizes).map(all -> {
      connection.send(WebTorrentCodec.scrapeReply(scrape.infoHashes(), all.list(), services.intervalSeconds()));
      return null;
    });
  }

  /** Sends the failure frame for this announce; completes with null, for the callers that wait on a member. */
  private <T> Future<T> refuse(ErrorCode code, String reason, Announce announce) {
    return connection.refuse(code, WebTorrentCodec.failure(reason, WebTorrentCodec.ANNOUNCE, announce.infoHash()))
        .map((T) null);
  }
}
