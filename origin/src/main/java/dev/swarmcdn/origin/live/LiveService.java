package dev.swarmcdn.origin.live;

import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.kit.http.RepresentationResponder;
import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.integrity.IntegrityKeys;
import dev.swarmcdn.origin.integrity.ManifestSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the configured live streams (one supervised ffmpeg packager each) and serves them under
 * {@code /live/NAME/}: {@code master.m3u8}, and per rendition {@code REND/index.m3u8},
 * {@code REND/index.integrity.json} and the published init and media segments. Names are looked up in
 * the published snapshots, never resolved on disk, so nothing else can be reached.
 */
public final class LiveService implements Handler<RoutingContext> {

  private static final String PREFIX = "/live/";

  private final Map<String, LiveStream> streams = new LinkedHashMap<>();
  private final RepresentationResponder responder;

  public LiveService(Vertx vertx, OriginConfig config, MeterRegistry registry,
      RepresentationResponder responder, IntegrityKeys keys) {
    this.responder = responder;
    ManifestSigner signer = new ManifestSigner(keys);
    for (String name : config.liveStreams()) {
      streams.put(name, new LiveStream(vertx, config, name, signer, registry));
    }
  }

  public Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    streams.values().forEach(stream -> started.add(stream.start()));
    return Future.all(started).mapEmpty();
  }

  /** Stops every packager; completes when every ffmpeg process is gone. */
  public Future<Void> stop() {
    List<Future<Void>> stopped = new ArrayList<>();
    streams.values().forEach(stream -> stopped.add(stream.stop()));
    return Future.join(stopped).mapEmpty();
  }

  /** Ready when every live stream has published at least one segment in every rendition. */
  public boolean ready() {
    return streams.values().stream().allMatch(LiveStream::ready);
  }

  public JsonObject status() {
    JsonObject live = new JsonObject();
    streams.forEach((name, stream) -> live.put(name, stream.status()));
    return new JsonObject().put("live", live);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Representation representation = find(ctx.request().path());
    if (representation == null) {
      ctx.response().setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("Cache-Control", "public, max-age=1")
          .end("not found\n");
      return;
    }
    responder.respond(ctx.request(), representation);
  }

  private Representation find(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    LiveStream stream = streams.get(parts[0]);
    if (stream == null) {
      return null;
    }
    if (parts.length == 2) {
      return parts[1].equals("master.m3u8") ? stream.master() : null;
    }
    if (parts.length != 3) {
      return null;
    }
    RenditionPublisher rendition = stream.rendition(parts[1]);
    if (rendition == null) {
      return null;
    }
    PublishedRendition published = rendition.published();
    return switch (parts[2]) {
      case "index.m3u8" -> published.playlist();
      case "index.integrity.json" -> published.manifest();
      default -> published.files().get(parts[2]);
    };
  }
}
