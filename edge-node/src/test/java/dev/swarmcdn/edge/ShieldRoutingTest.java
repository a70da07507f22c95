package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.EdgeClient.Response;
import dev.swarmcdn.edge.forwarding.routing.EdgeRing;
import dev.swarmcdn.edge.forwarding.upstream.UpstreamClient;
import dev.swarmcdn.edge.security.ForwardingToken;
import dev.swarmcdn.protocol.access.AccessToken;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three edges in front of one origin: each object is fetched from the origin once for the set. */
class ShieldRoutingTest {

  private TestOrigin origin;
  private final List<RunningEdge> running = new ArrayList<>();
  private final List<EdgeServer> edges = new ArrayList<>();
  private final List<EdgeClient> clients = new ArrayList<>();

  @BeforeEach
  void startOrigin() throws Exception {
    origin = new TestOrigin();
  }

  /** Three edges sharing the cache, each built from the same settings. */
  private void startEdges(UnaryOperator<EdgeConfig.Builder> settings) throws Exception {
    for (int i = 1; i <= 3; i++) {
      RunningEdge edge = RunningEdge.start(settings.apply(EdgeConfig.builder(origin.url()).id("edge-" + i).port(0)).build());
      running.add(edge);
      edges.add(edge.server());
      clients.add(edge.client());
    }
    List<EdgeRing.Member> members = edges.stream()
        .map(edge -> new EdgeRing.Member(edge.id(), edge.baseUrl())).toList();
    edges.forEach(edge -> edge.usePeers(members));
  }

  @AfterEach
  void stop() throws Exception {
    for (RunningEdge edge : running) {
      edge.close();
    }
    origin.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void everyObjectReachesTheOriginOnceForTheWholeSet() throws Exception {
    startEdges(settings -> settings);
    int objects = 30;
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      bodies.add(random(50_000 + i, i));
      origin.put("/live/seg_" + i + ".m4s", bodies.get(i), 50, "Cache-Control", "public, max-age=600");
    }
    // Every viewer of every edge asks for every object, all at once.
    List<Future<Response>> answers = new ArrayList<>();
    List<Integer> objectOf = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      for (EdgeClient client : clients) {
        answers.add(client.send(HttpMethod.GET, "/live/seg_" + i + ".m4s"));
        objectOf.add(i);
      }
    }
    Future.all(answers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    for (int a = 0; a < answers.size(); a++) {
      assertEquals(200, answers.get(a).result().status());
      assertArrayEquals(bodies.get(objectOf.get(a)), answers.get(a).result().body());
    }
    for (int i = 0; i < objects; i++) {
      assertEquals(1, origin.requests("/live/seg_" + i + ".m4s"), "object " + i);
    }
    // Ownership is spread: more than one edge went to the origin.
    Set<String> fetchers = new HashSet<>();
    for (MultiMap headers : origin.requestHeaders) {
      fetchers.add(headers.get(UpstreamClient.HOP_HEADER));
    }
    assertTrue(fetchers.size() >= 2, "owners: " + fetchers);
  }

  /**
   * An edge admitted to the set that answers with its own bytes, self-consistent down to a manifest
   * and key of its own: what it sends never reaches a viewer or the cache; the origin answers
   * instead. Once, such an edge's answers were cached as immutable and served as HIT.
   */
  @Test
  void segmentsFromABadEdgeAreNeitherServedNorCachedButFetchedFromTheOrigin() throws Exception {
    try (TestOrigin impostor = new TestOrigin()) {
      RunningEdge good = RunningEdge.start(EdgeConfig.builder(origin.url()).id("edge-1").port(0).build());
      running.add(good);
      int objects = 24;
      for (int i = 0; i < objects; i++) {
        origin.put("/live/s/" + i + ".m4s", random(3000, i), 0, "Cache-Control", "public, max-age=600, immutable");
        impostor.put("/live/s/" + i + ".m4s", random(3000, 1000 + i), 0, "Cache-Control", "public, max-age=600, immutable");
      }
      good.server().usePeers(List.of(new EdgeRing.Member("edge-1", good.server().baseUrl()),
          new EdgeRing.Member("edge-bad", impostor.url())));
      EdgeClient client = good.client();
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < objects; i++) {
          Response answer = client.get("/live/s/" + i + ".m4s");
          assertEquals(200, answer.status(), "object " + i);
          assertArrayEquals(random(3000, i), answer.body(), "object " + i + ", round " + round);
        }
      }
      int owned = 0;
      for (int i = 0; i < objects; i++) {
        owned += impostor.requests("/live/s/" + i + ".m4s");
        assertEquals(1, origin.requests("/live/s/" + i + ".m4s"), "object " + i + ": fetched once, then a hit");
      }
      assertTrue(owned > 0, "the bad edge owned some objects and was asked for them");
      // Its manifest, forged with a key of its own, is refused too if it owns that.
      owned += impostor.requests("/live/s/index.integrity.json");
      String metrics = new String(client.get("/metrics").body(), StandardCharsets.UTF_8);
      assertTrue(metrics.contains("edge_peer_segments_total{outcome=\"rejected\"} " + owned + ".0"), metrics);
      assertTrue(metrics.contains("edge_peer_segments_total{outcome=\"verified\"} 0.0"), metrics);
    }
  }

  @Test
  void segmentsFromAGoodEdgeAreCheckedAndTaken() throws Exception {
    startEdges(settings -> settings);
    int objects = 12;
    for (int i = 0; i < objects; i++) {
      origin.put("/v/" + i + ".m4s", random(4000, i), 0, "Cache-Control", "public, max-age=600");
    }
    for (EdgeClient client : clients) {
      for (int i = 0; i < objects; i++) {
        assertArrayEquals(random(4000, i), client.get("/v/" + i + ".m4s").body());
      }
    }
    for (int i = 0; i < objects; i++) {
      assertEquals(1, origin.requests("/v/" + i + ".m4s"), "object " + i);
    }
    double verified = 0;
    for (EdgeClient client : clients) {
      String metrics = new String(client.get("/metrics").body(), StandardCharsets.UTF_8);
      assertTrue(metrics.contains("edge_peer_segments_total{outcome=\"rejected\"} 0.0"), metrics);
      verified += Double.parseDouble(metrics.replaceAll("(?s).*edge_peer_segments_total\\{outcome=\"verified\"} ([0-9.]+).*", "$1"));
    }
    assertTrue(verified >= objects, "every object came from its owner to two edges, checked: " + verified);
  }

  /**
   * Live: a segment newer than the manifest an edge holds (the window moved on since) is checked
   * against the origin's manifest of now, not sent to the origin as unverifiable.
   */
  @Test
  void aSegmentNewerThanTheStoredManifestIsCheckedAgainstTheOriginsManifestOfNow() throws Exception {
    origin.manifestCacheControl("public, max-age=600");
    startEdges(settings -> settings);
    int objects = 8;
    for (int i = 0; i < objects; i++) {
      origin.put("/w/" + i + ".m4s", random(2500, i), 0, "Cache-Control", "public, max-age=600");
      // Every edge takes the segment published just now, holding the manifest of before.
      for (EdgeClient client : clients) {
        assertArrayEquals(random(2500, i), client.get("/w/" + i + ".m4s").body(), "object " + i);
      }
      assertEquals(1, origin.requests("/w/" + i + ".m4s"), "object " + i);
    }
    for (EdgeClient client : clients) {
      String metrics = new String(client.get("/metrics").body(), StandardCharsets.UTF_8);
      assertTrue(metrics.contains("edge_peer_segments_total{outcome=\"rejected\"} 0.0"), metrics);
    }
  }

  @Test
  void aRequestFromAnotherEdgeIsNeverForwardedAgain() throws Exception {
    startEdges(settings -> settings);
    origin.put("/x.m4s", random(1000, 9), 0, "Cache-Control", "max-age=600");
    // Each edge is asked as if by another edge: each must go to the origin itself, not to an owner.
    for (EdgeClient client : clients) {
      assertEquals(200, client.get("/x.m4s", UpstreamClient.HOP_HEADER, "some-edge").status());
    }
    assertEquals(3, origin.requests("/x.m4s"));
    Set<String> fetchers = new HashSet<>();
    origin.requestHeaders.forEach(headers -> fetchers.add(headers.get(UpstreamClient.HOP_HEADER)));
    assertEquals(Set.of("edge-1", "edge-2", "edge-3"), fetchers);
  }

  @Test
  void aDeadOwnerFallsBackToTheOrigin() throws Exception {
    startEdges(settings -> settings);
    int objects = 12;
    for (int i = 0; i < objects; i++) {
      origin.put("/d/" + i + ".m4s", random(2000, i), 0, "Cache-Control", "max-age=600");
    }
    // Stop edge-3; edge-1 still has it in its ring.
    running.get(2).stopServer();
    for (int i = 0; i < objects; i++) {
      Response answer = clients.get(0).get("/d/" + i + ".m4s");
      assertEquals(200, answer.status(), "object " + i);
      assertArrayEquals(random(2000, i), answer.body());
    }
  }

  @Test
  void withSignedUrlsTheOwnerTrustsTheEdgesOfItsSetAndNoTokenEntersACacheKey() throws Exception {
    String secret = "s3cret";
    startEdges(settings -> settings.accessSecret(secret));
    long inAnHour = System.currentTimeMillis() / 1000 + 3600;
    int objects = 12;
    for (int i = 0; i < objects; i++) {
      origin.put("/live/seg_" + i + ".m4s", random(20_000 + i, i), 0, "Cache-Control", "public, max-age=600");
    }
    // Every viewer has a token of its own; half of them carry it in the path, half in the query.
    List<Future<Response>> answers = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      for (int e = 0; e < clients.size(); e++) {
        String token = new AccessToken("/live/", inAnHour + e).sign(secret.getBytes(StandardCharsets.UTF_8));
        String path = "/live/seg_" + i + ".m4s";
        answers.add(clients.get(e).send(HttpMethod.GET, (i + e) % 2 == 0 ? "/~t/" + token + path : path + "?token=" + token));
      }
    }
    Future.all(answers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    for (int a = 0; a < answers.size(); a++) {
      Response answer = answers.get(a).result();
      assertEquals(200, answer.status(), "answer " + a + ": " + answer.header("X-Access-Refused"));
      assertArrayEquals(random(20_000 + a / clients.size(), a / clients.size()), answer.body());
    }
    for (int i = 0; i < objects; i++) {
      assertEquals(1, origin.requests("/live/seg_" + i + ".m4s"), "object " + i);
    }
    Set<String> fetchers = new HashSet<>();
    origin.requestHeaders.forEach(headers -> fetchers.add(headers.get(UpstreamClient.HOP_HEADER)));
    assertTrue(fetchers.size() >= 2, "owners: " + fetchers);

    // Another token, any edge: the same entries, whoever fetched them.
    String other = "?token=" + new AccessToken("/", inAnHour + 99).sign(secret.getBytes(StandardCharsets.UTF_8));
    for (EdgeClient client : clients) {
      assertEquals("HIT", client.get("/live/seg_0.m4s" + other).header("X-Cache"));
    }
  }

  @Test
  void theHopHeaderAloneOpensNoDoor() throws Exception {
    String secret = "s3cret";
    startEdges(settings -> settings.accessSecret(secret));
    origin.put("/live/a.m4s", random(100, 1), 0, "Cache-Control", "max-age=600");
    origin.put("/live/b.m4s", random(100, 2), 0, "Cache-Control", "max-age=600");
    Response pretender = clients.get(0).get("/live/a.m4s", UpstreamClient.HOP_HEADER, "edge-2");
    assertEquals(403, pretender.status());
    assertEquals("missing", pretender.header("X-Access-Refused"));
    // A forwarding token is bound to its object's path.
    String forA = new AccessToken("/live/a.m4s", System.currentTimeMillis() / 1000 + 300)
        .sign(secret.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, clients.get(0).get("/live/a.m4s", UpstreamClient.HOP_HEADER, "edge-2",
        ForwardingToken.HEADER, forA).status());
    Response elsewhere = clients.get(0).get("/live/b.m4s", UpstreamClient.HOP_HEADER, "edge-2", ForwardingToken.HEADER, forA);
    assertEquals("wrong_path", elsewhere.header("X-Access-Refused"));
    assertEquals(0, origin.requests("/live/b.m4s"));
  }

  @Test
  void hostRoutedObjectsAreFetchedOnceForTheSetWithTheViewersHost() throws Exception {
    TestOrigin other = new TestOrigin();
    try {
      startEdges(settings -> settings.routes(List.of("a.test=" + origin.url(), "b.test=" + other.url())));
      int objects = 8;
      for (int i = 0; i < objects; i++) {
        origin.put("/seg_" + i + ".m4s", random(3000, i), 0, "Cache-Control", "max-age=600");
        other.put("/seg_" + i + ".m4s", random(3000, 100 + i), 0, "Cache-Control", "max-age=600");
      }
      for (int i = 0; i < objects; i++) {
        for (EdgeClient client : clients) {
          Response a = client.get("/seg_" + i + ".m4s", "Host", "a.test");
          Response b = client.get("/seg_" + i + ".m4s", "Host", "b.test");
          assertEquals(200, a.status(), "a.test object " + i);
          assertArrayEquals(random(3000, i), a.body());
          assertArrayEquals(random(3000, 100 + i), b.body());
        }
        assertEquals(1, origin.requests("/seg_" + i + ".m4s"), "a.test object " + i);
        assertEquals(1, other.requests("/seg_" + i + ".m4s"), "b.test object " + i);
      }
    } finally {
      other.close();
    }
  }
}
