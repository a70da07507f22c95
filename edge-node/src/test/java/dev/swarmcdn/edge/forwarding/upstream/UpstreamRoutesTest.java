package dev.swarmcdn.edge.forwarding.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmcdn.edge.forwarding.upstream.UpstreamRoutes.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamRoutesTest {

  private final UpstreamRoutes routes = UpstreamRoutes.parse(List.of(
      "http://default:8080",
      "/vod/=http://vod:8080|http://vod-backup:8080",
      "video.example.com=http://video:8080",
      "Video.Example.com/live/=http://live:8080",
      "cdn.example.com/vod/=http://cdn-vod:8080"));

  private String upstream(String host, String path) {
    Route route = routes.match(host, path);
    return route == null ? null : route.upstreams().get(0).host();
  }

  @Test
  void aHostsRoutesComeFirstLongestPrefixWinning() {
    assertEquals("live", upstream("video.example.com", "/live/demo/index.m3u8"));
    assertEquals("video", upstream("video.example.com", "/other/index.m3u8"));
    assertEquals("video", upstream("video.example.com", "/vod/clip/index.m3u8"),
        "the host's own / beats the every-host /vod/");
    assertEquals("cdn-vod", upstream("cdn.example.com", "/vod/clip/index.m3u8"));
  }

  @Test
  void withoutAMatchForTheHostTheEveryHostRoutesApply() {
    assertEquals("default", upstream("cdn.example.com", "/live/x.m3u8"), "cdn.example.com has only /vod/");
    assertEquals("vod", upstream("unknown.example.com", "/vod/clip/index.m3u8"));
    assertEquals("default", upstream(null, "/index.m3u8"));
    assertEquals(List.of("vod", "vod-backup"),
        routes.match(null, "/vod/a").upstreams().stream().map(Upstream::host).toList());
  }

  @Test
  void hostsCompareWithoutPortAndCase() {
    assertEquals("live", upstream("VIDEO.example.COM:8081", "/live/a.m4s"));
    assertEquals("video", upstream("video.example.com:80", "/a.m4s"));
    assertEquals("default", upstream("[::1]:8081", "/a.m4s"));
  }

  @Test
  void keysOfHostRoutesNameTheHostOthersTheUpstream() {
    assertEquals("video.example.com", routes.match("Video.example.com:8081", "/a").keyHost());
    assertEquals("video.example.com", routes.match("video.example.com", "/live/a").keyHost());
    assertEquals("default:8080", routes.match("anything.example.com", "/a").keyHost());
    assertEquals("vod:8080", routes.match("anything.example.com", "/vod/a").keyHost());
  }

  @Test
  void withoutAnEveryHostRouteOtherHostsMatchNothing() {
    UpstreamRoutes onlyHosts = UpstreamRoutes.parse(List.of("a.test=http://a:1"));
    assertNull(onlyHosts.match("b.test", "/x"));
    assertNull(onlyHosts.match(null, "/x"));
  }

  @Test
  void malformedRoutesAreRefusedWithTheForm() {
    for (String bad : List.of("a.test:8081=http://a:1", "=http://a:1", "bad_host=http://a:1", "a.test/x=ftp://a")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> UpstreamRoutes.parse(List.of(bad)), bad);
      assertTrue(refused.getMessage().contains("route must be") || refused.getMessage().contains("http(s)"),
          refused.getMessage());
    }
  }
}
