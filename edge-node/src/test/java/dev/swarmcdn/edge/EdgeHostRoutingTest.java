package dev.swarmcdn.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.edge.EdgeClient.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One edge in front of several origins, chosen by the request's Host and then by path prefix. */
class EdgeHostRoutingTest {

  private TestOrigin sports;
  private TestOrigin news;
  private TestOrigin fallback;
  private RunningEdge running;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    sports = new TestOrigin();
    news = new TestOrigin();
    fallback = new TestOrigin();
    for (TestOrigin origin : List.of(sports, news, fallback)) {
      String name = origin == sports ? "sports" : origin == news ? "news" : "fallback";
      origin.put("/index.m3u8", ("#EXTM3U\n#" + name + "\n").getBytes(), 0, "Cache-Control", "max-age=600");
      origin.put("/vod/index.m3u8", ("#EXTM3U\n#" + name + " vod\n").getBytes(), 0, "Cache-Control", "max-age=600");
    }
    running = RunningEdge.start(EdgeConfig.builder(fallback.url()).port(0).routes(List.of(
        fallback.url(),
        "sports.test=" + sports.url(),
        "news.test=" + news.url(),
        "news.test/vod/=" + fallback.url())).build());
    client = running.client();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
    for (TestOrigin origin : List.of(sports, news, fallback)) {
      origin.close();
    }
  }

  private String body(String host, String path) throws Exception {
    return new String(client.get(path, "Host", host).body());
  }

  @Test
  void twoHostsSamePathAreTwoObjectsFromTwoOrigins() throws Exception {
    assertEquals("#EXTM3U\n#sports\n", body("sports.test", "/index.m3u8"));
    assertEquals("#EXTM3U\n#news\n", body("news.test", "/index.m3u8"));
    Response sportsAgain = client.get("/index.m3u8", "Host", "Sports.Test:8081");
    assertEquals("HIT", sportsAgain.header("X-Cache"));
    assertEquals("#EXTM3U\n#sports\n", new String(sportsAgain.body()), "never the other host's entry");
    Response newsAgain = client.get("/index.m3u8", "Host", "news.test");
    assertEquals("HIT", newsAgain.header("X-Cache"));
    assertEquals("#EXTM3U\n#news\n", new String(newsAgain.body()));
    assertEquals(1, sports.requests("/index.m3u8"));
    assertEquals(1, news.requests("/index.m3u8"));
    assertEquals(0, fallback.requests("/index.m3u8"));
  }

  @Test
  void theLongestPrefixOfTheHostWinsAndOtherHostsGetTheEveryHostRoute() throws Exception {
    assertEquals("#EXTM3U\n#fallback vod\n", body("news.test", "/vod/index.m3u8"));
    assertEquals("#EXTM3U\n#sports vod\n", body("sports.test", "/vod/index.m3u8"));
    assertEquals("#EXTM3U\n#fallback\n", body("unknown.test", "/index.m3u8"));
    assertEquals("#EXTM3U\n#fallback\n", body("127.0.0.1", "/index.m3u8"));
    assertEquals(1, fallback.requests("/index.m3u8"), "every name without a route of its own shares one entry");
  }
}
