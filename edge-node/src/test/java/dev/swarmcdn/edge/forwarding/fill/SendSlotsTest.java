package dev.swarmcdn.edge.forwarding.fill;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One event loop's slots, with holders that say whether they are moving, on a real loop. */
class SendSlotsTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  /** Holders in the order they were granted a slot after waiting. */
  private final List<FakeHolder> granted = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(ignored -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  private void giveBack(SendSlots.Loop slotsOfLoop, FakeHolder holder) throws Exception {
    onLoop(() -> {
      slotsOfLoop.giveBack(holder);
      return null;
    });
  }

  @Test
  void bodiesBeyondTheSlotsWaitAndAreLetInInTheOrderTheyAsked() throws Exception {
    SendSlots slots = new SendSlots(2, Duration.ofMinutes(1));
    SendSlots.Loop slotsOfLoop = slots.of(loop);
    FakeHolder a = new FakeHolder();
    FakeHolder b = new FakeHolder();
    FakeHolder c = new FakeHolder();
    FakeHolder d = new FakeHolder();
    assertTrue(onLoop(() -> slotsOfLoop.take(a)));
    assertTrue(onLoop(() -> slotsOfLoop.take(b)));
    assertFalse(onLoop(() -> slotsOfLoop.take(c)), "both slots taken");
    assertFalse(onLoop(() -> slotsOfLoop.take(d)));
    assertEquals(2, slots.waiting());

    giveBack(slotsOfLoop, b);
    assertEquals(List.of(c), granted, "the first to ask is the first let in");
    giveBack(slotsOfLoop, a);
    assertEquals(List.of(c, d), granted);
    assertEquals(0, slots.waiting());
  }

  @Test
  void aBodyThatGivesUpWhileWaitingLeavesTheQueue() throws Exception {
    SendSlots slots = new SendSlots(1, Duration.ofMinutes(1));
    SendSlots.Loop slotsOfLoop = slots.of(loop);
    FakeHolder holder = new FakeHolder();
    FakeHolder gone = new FakeHolder();
    FakeHolder next = new FakeHolder();
    onLoop(() -> slotsOfLoop.take(holder));
    onLoop(() -> slotsOfLoop.take(gone));
    onLoop(() -> slotsOfLoop.take(next));
    giveBack(slotsOfLoop, gone);
    assertEquals(1, slots.waiting());
    giveBack(slotsOfLoop, holder);
    assertEquals(List.of(next), granted, "the one that left is never granted a slot");
  }

  @Test
  void aHolderWaitingLongerThanTheStuckTimeIsLetGoAndAMovingOneIsNot() throws Exception {
    SendSlots slots = new SendSlots(2, Duration.ofMillis(20));
    SendSlots.Loop slotsOfLoop = slots.of(loop);
    FakeHolder stuck = new FakeHolder();
    FakeHolder moving = new FakeHolder();
    FakeHolder queued = new FakeHolder();
    onLoop(() -> slotsOfLoop.take(stuck));
    onLoop(() -> slotsOfLoop.take(moving));
    stuck.waitingSince = System.nanoTime();
    onLoop(() -> slotsOfLoop.take(queued));

    await().atMost(Duration.ofSeconds(5)).until(() -> granted.contains(queued));
    assertTrue(stuck.letGo, "waited longer than the stuck time");
    assertFalse(moving.letGo, "sending all along");
    assertEquals(1, slots.letGo());
    assertEquals(0, slots.waiting());
    giveBack(slotsOfLoop, stuck);
    FakeHolder later = new FakeHolder();
    assertFalse(onLoop(() -> slotsOfLoop.take(later)), "the let-go holder's slot is the queued one's now");
  }

  @Test
  void eachEventLoopHasItsOwnSlots() throws Exception {
    SendSlots slots = new SendSlots(1, Duration.ofMinutes(1));
    assertSame(slots.of(loop), slots.of(loop));
    // A thread outside Vert.x gets its context on the next event loop: find one on another loop.
    Context other = contextMadeOnNewThread();
    for (int i = 0; i < 16 && loopOf(other) == loopOf(loop); i++) {
      other = contextMadeOnNewThread();
    }
    assertNotSame(loopOf(loop), loopOf(other), "Vert.x runs more than one event loop here");
    assertNotSame(slots.of(loop), slots.of(other));
    assertTrue(onLoop(() -> slots.of(loop).take(new FakeHolder())));
    Context onOther = other;
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    onOther.runOnContext(ignored -> taken.complete(slots.of(onOther).take(new FakeHolder())));
    assertTrue(taken.get(10, TimeUnit.SECONDS), "another loop's slot is still free");
  }

  private Context contextMadeOnNewThread() throws Exception {
    CompletableFuture<Context> made = new CompletableFuture<>();
    new Thread(() -> made.complete(vertx.getOrCreateContext())).start();
    return made.get(10, TimeUnit.SECONDS);
  }

  private static EventLoop loopOf(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  @Test
  void noSlotsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SendSlots(0, Duration.ofMillis(20)));
  }

  private final class FakeHolder implements SendSlots.Holder {
    volatile long waitingSince;
    volatile boolean letGo;

    @Override
    public void granted() {
      granted.add(this);
    }

    @Override
    public long waitingSince() {
      return waitingSince;
    }

    @Override
    public void letGo() {
      letGo = true;
    }
  }
}
