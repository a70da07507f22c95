package dev.swarmcdn.peer.rtc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeSendsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private final NativeSends sends = new NativeSends();

  @AfterEach
  void close() {
    sends.close();
  }

  @Test
  void aLaneRunsItsCallsInOrderOffTheCallersThread() {
    NativeSends.Lane lane = sends.lane();
    List<Integer> ran = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();

    for (int i = 0; i < 1000; i++) {
      int n = i;
      lane.run(() -> {
        ran.add(n);
        threads.add(Thread.currentThread().getName());
      });
    }

    await().atMost(BOUND).until(() -> ran.size() == 1000);
    assertEquals(IntStream.range(0, 1000).boxed().toList(), ran);
    assertTrue(threads.stream().allMatch(name -> name.startsWith("swarmcdn-webrtc-send-")), threads.get(0));
  }

  @Test
  void aLaneWaitingOnLibwebrtcHoldsUpNoOtherLane() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger others = new AtomicInteger();
    sends.lane().run(() -> {
      try {
        release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    NativeSends.Lane other = sends.lane();
    for (int i = 0; i < 10; i++) {
      other.run(others::incrementAndGet);
    }

    await().atMost(BOUND).until(() -> others.get() == 10);
    release.countDown();
  }

  @Test
  void aCallThatThrowsLeavesTheLaneRunning() {
    NativeSends.Lane lane = sends.lane();
    AtomicInteger after = new AtomicInteger();

    lane.run(() -> {
      throw new IllegalStateException("refused");
    });
    lane.run(after::incrementAndGet);

    await().atMost(BOUND).until(() -> after.get() == 1);
  }

  @Test
  void callsQueuedAfterCloseAreDroppedWithoutThrowing() {
    NativeSends.Lane lane = sends.lane();
    sends.close();
    AtomicInteger ran = new AtomicInteger();

    lane.run(ran::incrementAndGet);
    lane.run(ran::incrementAndGet);

    assertEquals(0, ran.get());
  }
}
