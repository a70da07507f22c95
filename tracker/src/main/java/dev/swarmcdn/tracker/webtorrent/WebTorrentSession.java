package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.protocol.tracker.ErrorCode;
import dev.swarmcdn.protocol.tracker.SignalKind;
import dev.swarmcdn.protocol.tracker.SwarmId;
import dev.swarmcdn.tracker.locality.NetworkPrefix;
import dev.swarmcdn.tracker.session.TrackerConnection;
import dev.swarmcdn.tracker.socket.PeerSocket;
import dev.swarmcdn.tracker.signal.Delivery;
import dev.swarmcdn.tracker.signal.PeerChannel;
import dev.swarmcdn.tracker.swarm.Candidate;
import dev.swarmcdn.tracker.swarm.Member;
import dev.swarmcdn.tracker.swarm.SwarmSize;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Announce;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Event;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Offer;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Scrape;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    public Delivery deliver(String frame) {
      return connection.relay(frame);
    }
  }

  private static final Claim[] NO_CLAIMS = new Claim[0];
  private static final Member[] NO_MEMBERS = new Member[0];

  private final TrackerConnection connection;
  private final NetworkPrefix network;
  private final WebTorrentServices services;
  // Arrays, searched in order and copied to change: a connection holds one peer_id in one swarm,
  // mostly, and at most maxSwarmsPerConnection; a hash table, even a list, would weigh more.
  private Claim[] claims = NO_CLAIMS;
  /** The swarms this connection is in, each under one of its peer ids. */
  private Member[] joined = NO_MEMBERS;

  private WebTorrentSession(TrackerConnection connection, NetworkPrefix network, WebTorrentServices services) {
    this.connection = connection;
    this.network = network;
    this.services = services;
  }

  /** Takes over an accepted WebSocket: must be called on its event loop. */
  public static void open(PeerSocket socket, NetworkPrefix network, WebTorrentServices services) {
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
    for (Member member : joined) {
      services.directory().leave(member.swarm(), member.peerId());
    }
    joined = NO_MEMBERS;
    for (Claim claim : claims) {
      services.relay().detach(claim);
    }
    claims = NO_CLAIMS;
  }

  private Future<Void> announce(Announce announce, long receivedNanos) {
    SwarmId swarm = swarmOf(announce.infoHash());
    String peerHex = announce.peerId().hex();
    int index = indexOf(swarm, peerHex);
    Future<Member> admitted;
    if (index < 0) {
      admitted = enter(swarm, peerHex, announce);
    } else if (announce.complete() && !joined[index].complete()) {
      // Once complete, always complete, as in bittorrent-tracker: a seeder does not turn back.
      Member seeder = member(swarm, peerHex, true);
      joined[index] = seeder;
      admitted = services.directory().join(seeder).map(seeder);
    } else {
      admitted = Future.succeededFuture(joined[index]);
    }
    return admitted.compose(member -> member == null ? Future.succeededFuture()
        : reply(announce, swarm).compose(sent -> relayOffers(announce, member, receivedNanos)));
  }

  /** Where this connection's membership of {@code swarm} under {@code peerHex} is in {@link #joined}; -1 if none. */
  private int indexOf(SwarmId swarm, String peerHex) {
    for (int i = 0; i < joined.length; i++) {
      Member member = joined[i];
      if (member.swarm().equals(swarm) && member.peerId().equals(peerHex)) {
        return i;
      }
    }
    return -1;
  }

  private Claim claimOf(String peerHex) {
    for (Claim claim : claims) {
      if (claim.peerHex.equals(peerHex)) {
        return claim;
      }
    }
    return null;
  }

  /** Puts the peer into the swarm; null, with the refusal sent, if it may not enter. */
  private Future<Member> enter(SwarmId swarm, String peerHex, Announce announce) {
    int maxSwarms = services.rules().limits().maxSwarmsPerConnection();
    if (joined.length >= maxSwarms) {
      return refuse(ErrorCode.LIMIT_EXCEEDED, "at most " + maxSwarms + " swarms per connection", announce);
    }
    return claim(peerHex).compose(claim -> {
      if (claim == null) {
        return refuse(ErrorCode.UNAUTHORIZED, "peer_id is in use on another connection", announce);
      }
      Member member = member(swarm, peerHex, announce.complete());
      return services.directory().join(member).compose(admitted -> {
        if (!admitted) {
          release(claim);
          return refuse(ErrorCode.LIMIT_EXCEEDED, "swarm is full", announce);
        }
        if (connection.isClosed()) {
          // The connection went while the directory admitted it: clean-up has run already.
          return services.directory().leave(swarm, peerHex).map((Member) null);
        }
        claim.swarms++;
        joined = with(joined, member);
        services.metrics().joined();
        return Future.succeededFuture(member);
      });
    });
  }

  private Member member(SwarmId swarm, String peerHex, boolean complete) {
    // WebTorrent names no edge and no upload slots: peers are matched by network prefix, then at random.
    return new Member(peerHex, swarm, null, network, 1, null, complete);
  }

  /** This connection's hold on a peer id; null if another connection holds it. */
  private Future<Claim> claim(String peerHex) {
    Claim held = claimOf(peerHex);
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
      claims = with(claims, claim);
      return claim;
    });
  }

  private void release(Claim claim) {
    int index = Arrays.asList(claims).indexOf(claim);
    if (claim.swarms == 0 && index >= 0) {
      claims = without(claims, index);
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
    SwarmId swarm = swarmOf(announce.infoHash());
    String peerHex = announce.peerId().hex();
    int index = indexOf(swarm, peerHex);
    Future<Void> left = Future.succeededFuture();
    if (index >= 0) {
      joined = without(joined, index);
      Claim claim = claimOf(peerHex);
      claim.swarms--;
      release(claim);
      left = services.directory().leave(swarm, peerHex);
    }
    return left.compose(done -> reply(announce, swarm));
  }

  /** Relays the answer to the peer that offered; nothing goes back to the answering peer unless refused. */
  private Future<Void> answer(Announce announce, long receivedNanos) {
    SwarmId swarm = swarmOf(announce.infoHash());
    String peerHex = announce.peerId().hex();
    if (indexOf(swarm, peerHex) < 0) {
      return refuse(ErrorCode.NOT_JOINED, "announce in this swarm before answering", announce).mapEmpty();
    }
    return services.signalling()
        .relay(peerHex, announce.answer().to().hex(), swarm, SignalKind.ANSWER,
            WebTorrentCodec.relayedAnswer(announce.answer(), announce.peerId(), announce.infoHash()), receivedNanos)
        .compose(delivery -> switch (delivery) {
          case DELIVERED -> Future.<Void>succeededFuture();
          case NO_PEER -> refuse(ErrorCode.UNKNOWN_PEER, "no peer with that to_peer_id in this swarm", announce);
          case RECIPIENT_BUSY -> connection.decline(ErrorCode.RATE_LIMITED, WebTorrentCodec.failure(
              "that peer has too many messages unread; retry later", WebTorrentCodec.ANNOUNCE, announce.infoHash()));
          case RECIPIENT_FLOODED -> connection.decline(ErrorCode.RATE_LIMITED, WebTorrentCodec.failure(
              "that peer was sent as many messages this second as it may; retry later", WebTorrentCodec.ANNOUNCE,
              announce.infoHash()));
        });
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

  private static <T> T[] with(T[] items, T item) {
    T[] longer = Arrays.copyOf(items, items.length + 1);
    longer[items.length] = item;
    return longer;
  }

  private static <T> T[] without(T[] items, int index) {
    T[] shorter = Arrays.copyOf(items, items.length - 1);
    System.arraycopy(items, index + 1, shorter, index, items.length - index - 1);
    return shorter;
  }
}
