package dev.swarmcdn.tracker.webtorrent;

import dev.swarmcdn.tracker.ops.TrackerMetrics;
import dev.swarmcdn.tracker.webtorrent.WebTorrentRequest.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What only the WebTorrent protocol has: {@code tracker_announces_total{protocol,event}} (answers
 * are not announces here: they count as relayed signals) and {@code tracker_scrapes_total{protocol}}.
 * Everything else is in the protocol's {@link TrackerMetrics}.
 */
public final class WebTorrentMetrics {

  private final Map<Event, Counter> announces = new EnumMap<>(Event.class);
  private final Counter scrapes;

  public WebTorrentMetrics(MeterRegistry registry) {
    for (Event event : Event.values()) {
      announces.put(event, Counter.builder("tracker.announces").tag("protocol", TrackerMetrics.WEBTORRENT)
          .tag("event", event.name().toLowerCase(Locale.ROOT))
          .description("Announces handled, by event").register(registry));
    }
    scrapes = Counter.builder("tracker.scrapes").tag("protocol", TrackerMetrics.WEBTORRENT)
        .description("Scrapes answered").register(registry);
  }

  void announced(Event event) {
    announces.get(event).increment();
  }

  void scraped() {
    scrapes.increment();
  }
}
