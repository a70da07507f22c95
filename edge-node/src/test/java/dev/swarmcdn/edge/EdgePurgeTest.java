package dev.swarmcdn.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.edge.EdgeClient.Response;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A purge wins over a fill that was already under way when it came. */
class EdgePurgeTest {

  private static final String ADMIN = "admin-token";
  private static final String PATH = "/live/demo/seg_7.m4s";

  private TestOrigin origin;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    running = RunningEdge.start(EdgeConfig.builder(origin.url()).port(0).adminToken(ADMIN).build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    origin.close();
  }

  /** Starts a fill of the old version that the origin answers slowly, and purges while it runs. */
  private Future<Response> purgeWhileTheOldVersionIsFetched() throws Exception {
    origin.put(PATH, "old".getBytes(), 1_000, "Cache-Control", "max-age=600");
    Future<Response> beforePurge = client.send(HttpMethod.GET, PATH);
    await().atMost(Duration.ofSeconds(5)).until(() -> origin.requests(PATH) == 1);
    Response purge = client.send(HttpMethod.POST, "/_edge/purge?path=" + PATH, "Authorization", "Bearer " + ADMIN)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, purge.status());
    origin.put(PATH, "new".getBytes(), 0, "Cache-Control", "max-age=600");
    return beforePurge;
  }

  private static Response answerOf(Future<Response> answer) throws Exception {
    return answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFillThatBeganBeforeAPurgeDoesNotStoreWhatItGot() throws Exception {
    Response beforePurge = answerOf(purgeWhileTheOldVersionIsFetched());
    assertEquals("old", new String(beforePurge.body()), "asked before the purge");
    Response afterPurge = client.get(PATH);
    assertEquals("MISS", afterPurge.header("X-Cache"));
    assertEquals("new", new String(afterPurge.body()));
    assertEquals(2, origin.requests(PATH));
  }

  @Test
  void aRequestAfterAPurgeDoesNotJoinTheFillThatBeganBeforeIt() throws Exception {
    Future<Response> beforePurge = purgeWhileTheOldVersionIsFetched();
    Response afterPurge = client.get(PATH);
    assertEquals("new", new String(afterPurge.body()), "a fetch of its own, not the old one");
    assertEquals(2, origin.requests(PATH));
    assertEquals("old", new String(answerOf(beforePurge).body()));
    // The old fill settles after the new one: it must not overwrite it.
    Response later = client.get(PATH);
    assertEquals("HIT", later.header("X-Cache"));
    assertEquals("new", new String(later.body()));
  }
}
