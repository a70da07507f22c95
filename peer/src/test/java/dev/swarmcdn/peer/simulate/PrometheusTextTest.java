package dev.swarmcdn.peer.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  static final String SCRAPE = """
      # HELP http_server_sent_bytes_total Response body bytes sent (status line and headers not counted)
      # TYPE http_server_sent_bytes_total counter
      http_server_sent_bytes_total 7099.0
      http_server_requests_seconds_count{method="GET",status="2xx"} 10
      http_server_requests_seconds_count{method="GET",status="5xx"} 2
      http_server_requests_seconds_sum{method="GET",status="2xx"} 0.29
      origin_live_segments_published_total{rendition="180p",stream="demo"} 41.0
      origin_live_segments_published_total{rendition="360p",stream="demo"} 42.0
      tracker_peers_connected{protocol="ours"} 3.0
      """;

  @Test
  void addsAMetricOverItsLabelSets() {
    PrometheusText text = PrometheusText.parse(SCRAPE);
    assertEquals(12, text.sum("http_server_requests_seconds_count"));
    assertEquals(7099, text.sum("http_server_sent_bytes_total"));
    assertEquals(3, text.sum("tracker_peers_connected"));
  }

  @Test
  void takesTheLargestOfALabelledMetric() {
    assertEquals(42, PrometheusText.parse(SCRAPE).max("origin_live_segments_published_total"));
  }

  @Test
  void aMetricNotScrapedIsZero() {
    assertEquals(0, PrometheusText.parse(SCRAPE).sum("edge_body_bytes_total"));
  }
}
