package dev.swarmcdn.peer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.peer.player.VirtualPlayer;
import dev.swarmcdn.peer.rtc.RtcRuntime;
import dev.swarmcdn.peer.stats.StatsSnapshot;
import dev.swarmcdn.peer.testing.LiveStack;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java peers in a real swarm: origin, tracker and edge on 127.0.0.1, WebRTC between the peers. */
class EngineSwarmTest {
  @TempDir
  static Path dir;
  static LiveStack stack;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    stack = LiveStack.start(dir);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    stack.close();
  }

  record Viewer(PeerEngine engine, VirtualPlayer player) {
    StatsSnapshot stats() throws Exception {
      return engine.submit(engine::stats).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    void close() throws Exception {
      engine.submit(() -> {
        player.stop();
        engine.close();
        return null;
      }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  static Viewer watch(EngineOptions options) throws Exception {
    PeerEngine engine = PeerEngine.create(vertx, options, RtcRuntime.shared());
    VirtualPlayer player = engine.submit(() -> {
      VirtualPlayer p = new VirtualPlayer(engine, VirtualPlayer.Settings.DEFAULT, event -> { });
      p.start(stack.masterUrl());
      return p;
    }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return new Viewer(engine, player);
  }

  @Test
  void twoJavaPeersShareSegmentsThroughTheDemoStack() throws Exception {
    EngineOptions options = EngineOptions.builder().tracker(stack.trackerUrl()).build();
    Viewer first = watch(options);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.stats().deliveredHttp() > 0);
    Viewer second = watch(options);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> second.stats().deliveredP2p() > 0 && first.stats().uploaded() > 0);
      StatsSnapshot seen = second.stats();
      assertEquals(0, seen.integrityFailures());
      assertEquals(1, seen.peers());
    } finally {
      second.close();
      first.close();
    }
  }
}
