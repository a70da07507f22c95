package dev.swarmcdn.peer.rtc;

import static org.awaitility.Awaitility.await;

import dev.swarmcdn.peer.swarm.DataChannel;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.swarm.SessionFactory.Spec;
import dev.swarmcdn.peer.util.ContextClock;
import dev.swarmcdn.protocol.tracker.SignalKind;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Two real sessions in one JVM, each confined to its own Vert.x context, signalling each other
 * directly: what the tracker's relay does, minus the network. Each side's sendSignal feeds the
 * other's signal on the other's clock.
 */
final class PeerPair implements AutoCloseable {
  static final Duration BOUND = Duration.ofSeconds(15);

  /** Where a signal goes: straight to the peer, unless a test stands in between. */
  interface Relay {
    void relay(Side from, SignalKind kind, String data, BiConsumer<SignalKind, String> deliver);
  }

  /** One peer: its clock, session, channel and what its engine heard. */
  static final class Side {
    final ContextClock clock;
    final AtomicReference<PeerSession> session = new AtomicReference<>();
    final AtomicReference<DataChannel> channel = new AtomicReference<>();
    final AtomicInteger failures = new AtomicInteger();
    final Recorder recorder;

    Side(Vertx vertx) {
      // Called off any Vert.x thread, getOrCreateContext makes a new event-loop context each time.
      this.clock = new ContextClock(vertx.getOrCreateContext());
      this.recorder = new Recorder(clock.context());
    }

    DataChannel channel() {
      return channel.get();
    }

    /** Runs on this side's clock and waits for the result. */
    <T> T call(Supplier<T> task) {
      CompletableFuture<T> result = new CompletableFuture<>();
      clock.execute(() -> {
        try {
          result.complete(task.get());
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
      try {
        return result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("on the clock: " + e, e);
      }
    }

    void run(Runnable task) {
      call(() -> {
        task.run();
        return null;
      });
    }
  }

  final Vertx vertx;
  final Side offerer;
  final Side answerer;

  PeerPair(RtcRuntime runtime) {
    this(runtime, Vertx.vertx(), (from, kind, data, deliver) -> deliver.accept(kind, data));
  }

  PeerPair(RtcRuntime runtime, Relay relay) {
    this(runtime, Vertx.vertx(), relay);
  }

  /** A pair on a Vert.x the caller owns (and closes). */
  PeerPair(RtcRuntime runtime, Vertx vertx, Relay relay) {
    this(runtime, vertx, relay, PeerSession.CHANNEL_LABEL);
  }

  /** A pair whose offerer labels its channel {@code label}. */
  PeerPair(RtcRuntime runtime, Vertx vertx, Relay relay, String label) {
    this(spec -> runtime.open(spec, label), vertx, relay);
  }

  /** A pair whose sessions {@code sessions} opens, offerer first. */
  PeerPair(SessionFactory sessions) {
    this(sessions, Vertx.vertx(), (from, kind, data, deliver) -> deliver.accept(kind, data));
  }

  private PeerPair(SessionFactory sessions, Vertx vertx, Relay relay) {
    this.vertx = vertx;
    this.offerer = new Side(vertx);
    this.answerer = new Side(vertx);
    open(sessions, offerer, answerer, true, relay);
    open(sessions, answerer, offerer, false, relay);
  }

  private static void open(SessionFactory sessions, Side self, Side peer, boolean initiator, Relay relay) {
    BiConsumer<SignalKind, String> deliver = (kind, data) -> peer.clock.execute(() -> {
      PeerSession target = peer.session.get();
      if (target != null) {
        target.signal(kind, data);
      }
    });
    Spec spec = new Spec(initiator, List.of(), (kind, data) -> relay.relay(self, kind, data, deliver),
        channel -> {
          channel.listen(self.recorder);
          self.channel.set(channel);
        },
        self.failures::incrementAndGet, self.clock);
    self.run(() -> self.session.set(sessions.open(spec)));
  }

  /** Offers and waits until both channels are open. */
  PeerPair connect() {
    offerer.run(() -> offerer.session.get().offer());
    await().atMost(BOUND).until(() -> offerer.recorder.saw("open") && answerer.recorder.saw("open"));
    return this;
  }

  @Override
  public void close() {
    for (Side side : List.of(offerer, answerer)) {
      PeerSession session = side.session.get();
      if (session != null) {
        side.run(session::close);
      }
    }
  }

  void closeVertx() {
    closeVertx(vertx);
  }

  static void closeVertx(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("closing Vert.x: " + e, e);
    }
  }
}
