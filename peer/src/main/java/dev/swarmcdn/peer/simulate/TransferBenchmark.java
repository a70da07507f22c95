package dev.swarmcdn.peer.simulate;

import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.store.Holdings;
import dev.swarmcdn.peer.store.SegmentStore;
import dev.swarmcdn.peer.swarm.DataChannel;
import dev.swarmcdn.peer.swarm.PeerLink;
import dev.swarmcdn.peer.swarm.PeerSession;
import dev.swarmcdn.peer.swarm.RequestHandler;
import dev.swarmcdn.peer.swarm.SessionFactory;
import dev.swarmcdn.peer.upload.Uploader;
import dev.swarmcdn.peer.util.ContextClock;
import dev.swarmcdn.protocol.peer.PeerFrame;
import dev.swarmcdn.protocol.peer.RejectReason;
import dev.swarmcdn.protocol.registry.IceServer;
import dev.swarmcdn.protocol.tracker.SwarmId;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One segment between two Java peers in this JVM, over real WebRTC (host candidates), through the
 * engine's own path: a REQUEST on one {@link PeerLink}, the other's {@link Uploader} serving it
 * from its store in 16 KiB PIECEs with back-pressure, no rate limit. Prints each round's time and
 * MB/s, then the median and the slowest. Usage: {@code TransferBenchmark [MB] [rounds] [TURN-URL USERNAME
 * CREDENTIAL]}: with a TURN relay, both peers use relay candidates only (iceTransportPolicy relay),
 * so every byte goes through it.
 */
public final class TransferBenchmark {
  private static final SwarmId SWARM = new SwarmId("bench", "2mb");

  private TransferBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    boolean relayed = args.length > 4;
    List<IceServer> ice = relayed ? List.of(new IceServer(List.of(args[2]), args[3], args[4])) : List.of();
    byte[] segment = new byte[megabytes << 20];
    new Random(1).nextBytes(segment);
    Vertx vertx = Vertx.vertx();
    try {
      ContextClock serverClock = new ContextClock(vertx.getOrCreateContext());
      ContextClock clientClock = new ContextClock(vertx.getOrCreateContext());
      SegmentStore store = new SegmentStore(segment.length * 2L, swarm -> { });
      serverClock.execute(() -> store.put(SWARM.toString(), 1, segment));
      Uploader uploader = new Uploader(store, 4, 0, true, serverClock, (swarm, bytes) -> { }, null);
      CompletableFuture<PeerLink> serverLink = new CompletableFuture<>();
      CompletableFuture<PeerLink> clientLink = new CompletableFuture<>();
      PeerFrame.Hello hello = new PeerFrame.Hello(SWARM, 0, 4, 16L << 20);
      PeerSession[] sessions = new PeerSession[2];
      SessionFactory rtc = RtcRuntime.shared();
      sessions[0] = rtc.open(new SessionFactory.Spec(true, ice,
          (kind, data) -> clientClock.execute(() -> sessions[1].signal(kind, data)),
          channel -> link(channel, hello, serverClock, serverLink, uploader), () -> { }, serverClock, relayed));
      sessions[1] = rtc.open(new SessionFactory.Spec(false, ice,
          (kind, data) -> serverClock.execute(() -> sessions[0].signal(kind, data)),
          channel -> link(channel, hello, clientClock, clientLink, null), () -> { }, clientClock, relayed));
      serverClock.execute(sessions[0]::offer);
      PeerLink client = clientLink.get(30, TimeUnit.SECONDS);
      serverLink.get(30, TimeUnit.SECONDS);
      List<Double> times = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double ms = fetch(client, clientClock, segment.length);
        times.add(ms);
        System.out.printf(Locale.ROOT, "round %2d: %7.1f ms  %6.1f MB/s%n", round, ms, segment.length / 1e6 / (ms / 1000));
      }
      List<Double> sorted = times.stream().sorted().toList();
      double median = sorted.get(sorted.size() / 2);
      System.out.printf(Locale.ROOT, "%d MB x %d rounds: median %.1f ms (%.1f MB/s), slowest %.1f ms, fastest %.1f ms%n",
          megabytes, rounds, median, segment.length / 1e6 / (median / 1000), sorted.get(sorted.size() - 1), sorted.get(0));
      serverClock.execute(sessions[0]::close);
      clientClock.execute(sessions[1]::close);
    } finally {
      RtcRuntime.shared().close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void link(DataChannel channel, PeerFrame.Hello hello, ContextClock clock,
      CompletableFuture<PeerLink> ready, Uploader uploader) {
    PeerLink[] link = new PeerLink[1];
    link[0] = new PeerLink(channel, hello, clock, () -> Holdings.NONE, new PeerLink.Events() {
      @Override
      public void ready(PeerFrame.Hello remote) {
        ready.complete(link[0]);
      }

      @Override
      public void request(PeerFrame.Request request) {
        uploader.serve(link[0], SWARM.toString(), request);
      }
    });
  }

  /** Milliseconds from REQUEST to the last PIECE of the whole segment. */
  private static double fetch(PeerLink link, ContextClock clock, int size) throws Exception {
    CompletableFuture<Double> done = new CompletableFuture<>();
    clock.execute(() -> {
      long start = System.nanoTime();
      long[] got = {0};
      link.request(1, 0, PeerFrame.Request.TO_END, new RequestHandler() {
        @Override
        public void onPiece(PeerFrame.Piece piece) {
          got[0] += piece.payloadLength();
        }

        @Override
        public void onEnd() {
          done.complete(got[0] == size ? (System.nanoTime() - start) / 1e6 : Double.NaN);
        }

        @Override
        public void onReject(RejectReason reason) {
          done.completeExceptionally(new IllegalStateException("rejected: " + reason));
        }

        @Override
        public void onClose() {
          done.completeExceptionally(new IllegalStateException("link closed"));
        }
      });
    });
    return done.get(30, TimeUnit.SECONDS);
  }
}
