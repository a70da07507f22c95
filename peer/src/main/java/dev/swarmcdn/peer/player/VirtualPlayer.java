package dev.swarmcdn.peer.player;

import dev.swarmcdn.peer.engine.Delivery;
import dev.swarmcdn.peer.engine.MediaPlaylist;
import dev.swarmcdn.peer.engine.PeerEngine;
import dev.swarmcdn.peer.engine.Playhead;
import dev.swarmcdn.peer.engine.SegmentRef;
import dev.swarmcdn.peer.util.Clock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player without a decoder, for the engine what hls.js is for the browser engine: it loads the
 * master playlist, follows one rendition's media playlist (reloaded every target duration while
 * live), loads its segments one after the other through the engine as hls.js does - starting
 * {@code liveSyncCount} segments behind the live edge, keeping at most {@code maxBufferSeconds}
 * ahead - and plays them at real time: playback starts when the first segment is in hand, stalls
 * when the next one is missing, and resumes when it comes. Confined to the engine's thread.
 */
public final class VirtualPlayer implements Playhead {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualPlayer.class);
  private static final long RETRY_MS = 1000;

  /**
   * How the player plays.
   *
   * @param rendition         the variant to play: its URI or rendition name, or null for the first listed
   * @param liveSyncCount     live: start this many segments behind the newest (hls.js's liveSyncDurationCount)
   * @param maxBufferSeconds  media loaded ahead of the playhead at most
   */
  public record Settings(String rendition, int liveSyncCount, double maxBufferSeconds) {
    public static final Settings DEFAULT = new Settings(null, 4, 30);
  }

  private final PeerEngine engine;
  private final Clock clock;
  private final Settings settings;
  private final Consumer<SegmentEvent> onSegment;
  private final TreeMap<Long, double[]> timeline = new TreeMap<>();
  private final HttpFetch http;
  private MediaPlaylist playlist;
  private String mediaUrl;
  private String masterUrl;
  private String masterText;
  private String playlistText;
  private boolean handsOver = true;
  /** The shortest time between two loads of a live playlist. */
  static final long MIN_RELOAD_MS = 500;
  private double targetDuration = 2;
  private boolean live = true;
  private long nextSequence = -1;
  private boolean loading;
  private boolean stopped;
  private long startedAt;
  private long startupMs = -1;
  // The playhead: position at positionAt (clock ms); buffered up to bufferedEnd, contiguously.
  private boolean playing;
  private double position;
  private long positionAt;
  private double bufferedEnd;
  private long stallStartedAt = -1;
  private long stalls;
  private long stalledMs;
  private long longestStallMs;
  private long segments;
  private long skipped;
  private long errors;
  private Clock.Timer reloadTimer;
  private Clock.Timer loadTimer;

  /** A segment handed to playback, for integrations that pass it on (the desktop peer's local player). */
  public record SegmentEvent(SegmentRef ref, Delivery delivery) {
  }

  /** Gets playlists over HTTP: the engine's own client. */
  @FunctionalInterface
  public interface HttpFetch {
    Future<String> text(String url);
  }

  public VirtualPlayer(PeerEngine engine, Settings settings, Consumer<SegmentEvent> onSegment) {
    this.engine = engine;
    this.clock = engine.clock();
    this.settings = settings;
    this.onSegment = onSegment;
    this.http = url -> engine.http().get(url).map(body -> body.toString(java.nio.charset.StandardCharsets.UTF_8));
    engine.attach(this);
  }

  /** Starts playing {@code src} (a master or media playlist URL; a path with the route option). */
  public Future<Void> start(String src) {
    startedAt = clock.now();
    return engine.resolve(src).compose(resolved -> http.text(resolved).map(text -> {
      if (!HlsText.isMaster(text)) {
        return resolved;
      }
      masterUrl = resolved;
      masterText = text;
      return chooseVariant(HlsText.variants(text, resolved));
    })).compose(url -> {
          mediaUrl = url;
          return reload();
        });
  }

  private String chooseVariant(List<HlsText.Variant> variants) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("the master playlist lists no variant");
    }
    if (settings.rendition() != null) {
      for (HlsText.Variant variant : variants) {
        if (variant.uri().equals(settings.rendition()) || variant.uri().startsWith(settings.rendition() + "/")) {
          return variant.url();
        }
      }
      throw new IllegalArgumentException("no rendition " + settings.rendition() + " in the master playlist");
    }
    return variants.get(0).url();
  }

  public String mediaUrl() {
    return mediaUrl;
  }

  /** The master playlist's URL as resolved (on the routed edge), or null when {@code src} was a media playlist. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The master playlist as loaded, or null. */
  public String masterText() {
    return masterText;
  }

  /** The media playlist's text as last loaded, the one {@link #playlist()} was read from; null before. */
  public String playlistText() {
    return playlistText;
  }

  /**
   * Whether this player tells the engine it took each segment ({@link PeerEngine#handedOver}), the
   * default. The desktop peer turns it off: its local player is the one that takes segments, so the
   * engine counts a segment delivered when that player gets it, not when this one plays ahead.
   */
  public VirtualPlayer handsOver(boolean on) {
    this.handsOver = on;
    return this;
  }

  /** The playlist as last loaded, with this player's timeline, or null. */
  public MediaPlaylist playlist() {
    return playlist;
  }

  private Future<Void> reload() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return http.text(mediaUrl).map(text -> {
      playlistLoaded(text);
      return (Void) null;
    }).onComplete(result -> {
      if (result.failed()) {
        LOG.info("playlist {}: {}", mediaUrl, result.cause().getMessage());
      }
      if (live && !stopped) {
        // Never faster than MIN_RELOAD_MS: a playlist saying TARGETDURATION:0 would make it a loop.
        reloadTimer = clock.schedule(Math.max(MIN_RELOAD_MS, (long) (targetDuration * 1000)), this::reload);
      }
    });
  }

  private void playlistLoaded(String text) {
    HlsText.Media media = HlsText.media(text, mediaUrl);
    playlistText = text;
    engine.integrity().notePlaylist(mediaUrl, text);
    targetDuration = media.targetDuration();
    live = !media.ended();
    List<MediaPlaylist.Segment> listed = new ArrayList<>();
    for (HlsText.Entry entry : media.entries()) {
      double start = startOf(entry.sequence());
      timeline.put(entry.sequence(), new double[] {start, entry.duration()});
      listed.add(new MediaPlaylist.Segment(entry.sequence(), start, entry.duration(), entry.uri(), entry.url()));
    }
    timeline.headMap(media.mediaSequence() - 64).clear();
    playlist = new MediaPlaylist(mediaUrl, live, listed, 0);
    engine.playlistLoaded(playlist, true);
    // A live stream starts liveSyncCount segments behind its newest, as hls.js does: a stream that
    // lists fewer is waited for, so that new segments come with the time to get them from peers.
    boolean enough = !live || listed.size() >= settings.liveSyncCount();
    if (nextSequence < 0 && enough && !listed.isEmpty()) {
      int first = live ? listed.size() - settings.liveSyncCount() : 0;
      nextSequence = listed.get(first).sequence();
      position = listed.get(first).start();
      bufferedEnd = position;
    }
    loadNext();
  }

  /** The media time at which a segment starts: after the one before it, or 0 for the first ever seen. */
  private double startOf(long sequence) {
    double[] known = timeline.get(sequence);
    if (known != null) {
      return known[0];
    }
    var before = timeline.floorEntry(sequence - 1);
    if (before == null) {
      var after = timeline.ceilingEntry(sequence + 1);
      return after == null ? 0 : after.getValue()[0] - (after.getKey() - sequence) * targetDuration;
    }
    return before.getValue()[0] + before.getValue()[1] + (sequence - 1 - before.getKey()) * targetDuration;
  }

  private void loadNext() {
    if (loading || stopped || playlist == null || nextSequence < 0) {
      return;
    }
    List<MediaPlaylist.Segment> listed = playlist.segments();
    if (listed.isEmpty()) {
      return;
    }
    if (nextSequence < listed.get(0).sequence()) {
      // The live window moved past the next segment: skip to the oldest still listed.
      skipped += listed.get(0).sequence() - nextSequence;
      nextSequence = listed.get(0).sequence();
    }
    MediaPlaylist.Segment next = null;
    for (MediaPlaylist.Segment segment : listed) {
      if (segment.sequence() == nextSequence) {
        next = segment;
        break;
      }
    }
    if (next == null) {
      return; // not published yet
    }
    if (bufferAhead(Double.MAX_VALUE) >= settings.maxBufferSeconds()) {
      loadTimer = clock.schedule((long) (next.duration() * 500), this::loadNext);
      return;
    }
    loading = true;
    MediaPlaylist.Segment segment = next;
    SegmentRef ref = engine.segmentRef(playlist, segment);
    engine.load(ref, segment.start(), null).onComplete(result -> {
      loading = false;
      if (stopped) {
        return;
      }
      if (result.failed()) {
        errors++;
        LOG.info("segment {}: {}", ref.sequence(), result.cause().getMessage());
        loadTimer = clock.schedule(RETRY_MS, this::loadNext);
        return;
      }
      if (handsOver) {
        engine.handedOver(ref, result.result());
      }
      append(segment);
      onSegment.accept(new SegmentEvent(ref, result.result()));
      nextSequence = segment.sequence() + 1;
      loadNext();
    });
  }

  /** A segment is in hand: playback starts, or resumes from a stall. */
  private void append(MediaPlaylist.Segment segment) {
    advance();
    long now = clock.now();
    segments++;
    if (startupMs < 0) {
      startupMs = now - startedAt;
      playing = true;
      position = segment.start();
      positionAt = now;
    }
    bufferedEnd = segment.start() + segment.duration();
    if (stallStartedAt >= 0) {
      long stall = now - stallStartedAt;
      stalledMs += stall;
      longestStallMs = Math.max(longestStallMs, stall);
      stallStartedAt = -1;
      positionAt = now;
    }
  }

  /** Moves the playhead to now; notes when it ran out of buffer. */
  private void advance() {
    if (!playing || stallStartedAt >= 0) {
      return;
    }
    long now = clock.now();
    double reached = position + (now - positionAt) / 1000.0;
    if (reached >= bufferedEnd) {
      stallStartedAt = positionAt + (long) ((bufferedEnd - position) * 1000);
      stalls++;
      position = bufferedEnd;
    } else {
      position = reached;
    }
    positionAt = now;
  }

  @Override
  public boolean started() {
    return playing;
  }

  @Override
  public double currentTime() {
    advance();
    return position;
  }

  @Override
  public double bufferAhead(double until) {
    advance();
    return Math.max(0, Math.min(bufferedEnd, until) - position);
  }

  public PlaybackStats stats() {
    advance();
    long current = stallStartedAt >= 0 ? clock.now() - stallStartedAt : 0;
    return new PlaybackStats(startupMs, stalls, stalledMs + current, Math.max(longestStallMs, current), position,
        segments, skipped, errors);
  }

  /** Stops loading and playing; the engine stays the caller's to close. */
  public void stop() {
    stopped = true;
    advance();
    if (reloadTimer != null) {
      reloadTimer.cancel();
    }
    if (loadTimer != null) {
      loadTimer.cancel();
    }
  }

}
