package dev.swarmcdn.origin.vod;

import dev.swarmcdn.kit.http.RepresentationResponder;
import dev.swarmcdn.origin.integrity.VodIntegrity;
import dev.swarmcdn.origin.media.MediaPath;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves on-demand HLS from the media root under {@code /vod/}: playlists, init segments and media
 * segments as files, and each playlist's integrity manifest ({@code NAME.integrity.json} next to
 * {@code NAME.m3u8}) through {@link VodIntegrity}.
 *
 * <p>TODO(origin issue): implementation.
 */
public final class VodHandler implements Handler<RoutingContext> {

  private final MediaPath media;
  private final RepresentationResponder responder;
  private final VodIntegrity integrity;

  public VodHandler(MediaPath media, RepresentationResponder responder, VodIntegrity integrity) {
    this.media = media;
    this.responder = responder;
    this.integrity = integrity;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().setStatusCode(501).end();
  }
}
