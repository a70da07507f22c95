package dev.swarmcdn.chaos;

import dev.swarmcdn.peer.engine.EngineOptions;
import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.simulate.SimulationReport;
import dev.swarmcdn.peer.simulate.VirtualViewer;
import dev.swarmcdn.peer.store.SharedSegments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Live viewer load for a fault: Java virtual viewers (the peer engine with real WebRTC and a virtual
 * player at real time) playing the live stream, each remembering when it got which segment, so that
 * a scenario can tell when every viewer plays again after a fault. Their stalls and stalled time come
 * from the players ({@link SimulationReport}); every segment handed to a player goes to the
 * {@link SegmentAudit}.
 */
final class ViewerLoad implements AutoCloseable {

  /** A segment handed to viewer {@code viewer}'s player at {@code nanoTime}. */
  record Delivered(int viewer, long nanoTime, long sequence) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final List<VirtualViewer> viewers = new ArrayList<>();
  private final SharedSegments shared = SharedSegments.create();
  private final Queue<Delivered> deliveries = new ConcurrentLinkedQueue<>();
  private final SegmentAudit audit;

  private ViewerLoad(SegmentAudit audit) {
    this.audit = audit;
  }

  /** Starts {@code count} viewers of {@code src} with {@code options} (usually routed: edge failover applies). */
  static ViewerLoad start(int count, String src, EngineOptions options, SegmentAudit audit) throws Exception {
    ViewerLoad load = new ViewerLoad(audit);
    try {
      for (int i = 0; i < count; i++) {
        load.join(src, options);
      }
      return load;
    } catch (Exception e) {
      load.close();
      throw e;
    }
  }

  /** One more viewer, e.g. one that knows only another tracker; returns its index. */
  int join(String src, EngineOptions options) throws Exception {
    int index = viewers.size();
    VirtualViewer viewer = await(VirtualViewer.join(index, vertx, options, RtcRuntime.shared(),
        shared, VirtualPlayer.Settings.DEFAULT, src, event -> {
          deliveries.add(new Delivered(index, System.nanoTime(), event.ref().sequence()));
          audit.record(event);
        }));
    viewers.add(viewer);
    return index;
  }

  int size() {
    return viewers.size();
  }

  /** Waits until each viewer got at least {@code segments} segments at or after {@code since} (System.nanoTime). */
  void awaitEachGot(int segments, long since, Duration bound) {
    Awaitility.await("each viewer got " + segments + " segments").atMost(bound).pollInterval(Duration.ofMillis(200))
        .until(() -> countsFrom(since).stream().allMatch(count -> count >= segments));
  }

  /**
   * Waits until every viewer got a segment at or after {@code since} (System.nanoTime) that
   * {@code counts}, and returns how long after {@code since} the last of them did: the time the
   * viewers took to play again.
   */
  Duration awaitEachGotAfter(long since, Predicate<Delivered> counts, Duration bound) {
    long[] first = new long[size()];
    Awaitility.await("each viewer got a segment again").atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
      java.util.Arrays.fill(first, 0);
      for (Delivered delivered : deliveries) {
        if (delivered.nanoTime() >= since && counts.test(delivered)
            && (first[delivered.viewer()] == 0 || delivered.nanoTime() < first[delivered.viewer()])) {
          first[delivered.viewer()] = delivered.nanoTime();
        }
      }
      return java.util.Arrays.stream(first).allMatch(at -> at != 0);
    });
    return Duration.ofNanos(java.util.Arrays.stream(first).max().orElseThrow() - since);
  }

  /** The highest segment number any viewer got so far. */
  long highestSequence() {
    return deliveries.stream().mapToLong(Delivered::sequence).max().orElse(-1);
  }

  /** Segments each viewer got at or after {@code since}. */
  List<Long> countsFrom(long since) {
    long[] counts = new long[size()];
    deliveries.stream().filter(d -> d.nanoTime() >= since).forEach(d -> counts[d.viewer()]++);
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  /** Every viewer's engine and player figures now. */
  SimulationReport report() throws Exception {
    List<Future<VirtualViewer.Snapshot>> asked = new ArrayList<>();
    viewers.forEach(viewer -> asked.add(viewer.snapshot()));
    List<VirtualViewer.Snapshot> snapshots = new ArrayList<>();
    for (Future<VirtualViewer.Snapshot> snapshot : asked) {
      snapshots.add(await(snapshot));
    }
    return SimulationReport.of(snapshots);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    List<Future<Void>> leaving = new ArrayList<>();
    viewers.forEach(viewer -> leaving.add(viewer.leave()));
    for (Future<Void> leave : leaving) {
      await(leave);
    }
    await(vertx.close());
  }
}
