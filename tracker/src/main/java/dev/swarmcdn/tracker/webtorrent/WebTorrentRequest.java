package dev.swarmcdn.tracker.webtorrent;

import java.util.List;
import java.util.Objects;

/** A message a WebTorrent client sends the tracker (docs/PROTOCOL.md, "WebTorrent tracker protocol"). */
public sealed interface WebTorrentRequest permits WebTorrentRequest.Announce, WebTorrentRequest.Scrape {

  /** The announce's {@code event}; absent, empty or {@code update} is an update. */
  enum Event {
    STARTED, STOPPED, COMPLETED, UPDATE, PAUSED;

    /** @return null for anything else */
    static Event fromWire(String value) {
      switch (value) {
        case "":
        case "empty":
        case "update":
          return UPDATE;
        case "started":
          return STARTED;
        case "stopped":
          return STOPPED;
        case "completed":
          return COMPLETED;
        case "paused":
          return PAUSED;
        default:
          return null;
      }
    }
  }

  /**
   * An offer for whichever peer the tracker picks.
   *
   * @param offerId its {@code offer_id}, which the answer will carry back
   * @param json    the {@code offer} object (an RTCSessionDescription) as JSON text, relayed as is
   */
  record Offer(BinaryId offerId, String json) {
    public Offer {
      Objects.requireNonNull(offerId, "offerId");
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * The answer to an offer another peer made.
   *
   * @param to      the {@code to_peer_id}: the peer that made the offer
   * @param offerId the offer's {@code offer_id}
   * @param json    the {@code answer} object as JSON text, relayed as is
   */
  record Answer(BinaryId to, BinaryId offerId, String json) {
    public Answer {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(offerId, "offerId");
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * {@code action: "announce"}: enter, refresh or leave a swarm, with offers to relay, or an answer
   * to relay (then nothing else in it counts).
   *
   * @param numwant how many offers the peer wants relayed, or null when it did not say
   * @param left    bytes the peer still lacks, or null when it did not say; 0 makes it complete
   * @param answer  null unless this relays an answer
   */
  record Announce(BinaryId infoHash, BinaryId peerId, Event event, Integer numwant, Double left, List<Offer> offers,
      Answer answer) implements WebTorrentRequest {
    public Announce {
      Objects.requireNonNull(infoHash, "infoHash");
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(event, "event");
      offers = List.copyOf(offers);
    }

    /** A seeder: it says it lacks nothing, or that it has just completed. */
    public boolean complete() {
      return event == Event.COMPLETED || (left != null && left == 0);
    }
  }

  /** {@code action: "scrape"}: the counts of these swarms (repeats removed). */
  record Scrape(List<BinaryId> infoHashes) implements WebTorrentRequest {
    public Scrape {
      infoHashes = List.copyOf(infoHashes);
      if (infoHashes.isEmpty()) {
        throw new IllegalArgumentException("a scrape names at least one info_hash");
      }
    }
  }
}
