package dev.swarmcdn.origin.vod;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.swarmcdn.kit.http.FileValidators;
import dev.swarmcdn.kit.http.MediaTypes;
import dev.swarmcdn.kit.http.Representation;
import dev.swarmcdn.kit.http.RepresentationResponder;
import dev.swarmcdn.origin.integrity.VodIntegrity;
import dev.swarmcdn.origin.media.MediaPath;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves on-demand HLS from the media root under {@code /vod/}: playlists, init segments and media
 * segments as files, and each playlist's integrity manifest ({@code NAME.integrity.json} next to
 * {@code NAME.m3u8}) through {@link VodIntegrity}.
 *
 * <p>Resolving a path and reading a file's attributes are blocking system calls, so both run in a
 * worker task; a large body then goes out by sendfile from the event loop, a small one from memory
 * ({@link SmallFiles}). A worker hop costs less than a slow disk stalling every connection of an
 * event loop, but still most of a small file's time: a lookup is reused for {@link #LOOKUP_VALIDITY}
 * (nginx's {@code open_file_cache_valid}, shorter), so a replaced file shows within that time.
 */
public final class VodHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(VodHandler.class);
  private static final String MANIFEST_SUFFIX = ".integrity.json";
  private static final String PLAYLIST_SUFFIX = ".m3u8";

  static final Duration LOOKUP_VALIDITY = Duration.ofSeconds(1);

  private final SmallFiles smallFiles = new SmallFiles();
  /** Recent successful lookups by request path; refusals are not kept. */
  private final Cache<String, Representation> recentLookups = Caffeine.newBuilder()
      .expireAfterWrite(LOOKUP_VALIDITY)
      .maximumSize(10_000)
      .build();
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
    String relative = ctx.pathParam("*");
    if (relative != null && relative.endsWith(MANIFEST_SUFFIX)) {
      serveManifest(ctx, relative);
    } else {
      serveFile(ctx, relative);
    }
  }

  private void serveFile(RoutingContext ctx, String relative) {
    Representation recent = relative == null ? null : recentLookups.getIfPresent(relative);
    if (recent != null) {
      responder.respond(ctx.request(), recent);
      return;
    }
    // Unordered: requests on one event loop must not queue behind each other's file lookups.
    ctx.vertx().executeBlocking(() -> {
      Path file = requireFile(relative);
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      String name = file.getFileName().toString();
      Buffer small = smallFiles.body(file, attributes);
      if (small != null) {
        return Representation.ofBytes(small, FileValidators.lastModifiedMillis(attributes),
            FileValidators.strongEtag(attributes), MediaTypes.forName(name), VodCachePolicy.forName(name));
      }
      return Representation.ofFile(file, attributes, MediaTypes.forName(name), VodCachePolicy.forName(name));
    }, false)
        .onSuccess(representation -> {
          if (relative != null) {
            recentLookups.put(relative, representation);
          }
          responder.respond(ctx.request(), representation);
        })
        .onFailure(error -> answerFailure(ctx, error));
  }

  /** {@code clip/index.integrity.json} is the manifest of {@code clip/index.m3u8}. */
  private void serveManifest(RoutingContext ctx, String relative) {
    String playlist = relative.substring(0, relative.length() - MANIFEST_SUFFIX.length()) + PLAYLIST_SUFFIX;
    // The URL path the player loads the playlist by, which the manifest's signature binds to.
    String normalized = ctx.normalizedPath();
    String playlistPath = normalized.substring(0, normalized.length() - MANIFEST_SUFFIX.length())
        + PLAYLIST_SUFFIX;
    ctx.vertx().executeBlocking(() -> requireFile(playlist), false)
        .compose(file -> integrity.manifest(file, playlistPath))
        .onSuccess(manifest -> responder.respond(ctx.request(), manifest))
        .onFailure(error -> answerFailure(ctx, error));
  }

  /** Blocking. */
  private Path requireFile(String relative) {
    MediaPath.Resolution resolution = media.resolve(relative);
    if (!resolution.ok()) {
      throw new RefusedPath(resolution.refusal());
    }
    return resolution.file();
  }

  /**
   * A refused path is 400 or 404. A file that vanished, and a playlist that has no manifest (a
   * master playlist, or one listing files that are not there), are "not found" too; anything else
   * is our fault and goes to the router's failure handler.
   */
  private static void answerFailure(RoutingContext ctx, Throwable error) {
    if (error instanceof RefusedPath refused) {
      refuse(ctx, refused.refusal);
    } else if (error instanceof NoSuchFileException || error instanceof IllegalArgumentException) {
      LOG.debug("{}: {}", ctx.normalizedPath(), error.toString());
      refuse(ctx, MediaPath.Refusal.NOT_FOUND);
    } else {
      ctx.fail(500, error);
    }
  }

  private static void refuse(RoutingContext ctx, MediaPath.Refusal refusal) {
    if (ctx.response().closed()) {
      return;
    }
    boolean malformed = refusal == MediaPath.Refusal.MALFORMED;
    // Outside the root is "not found" on purpose: the answer must not reveal what exists out there.
    ctx.response().setStatusCode(malformed ? 400 : 404)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        // A miss may be cached briefly (a herd asking for a missing file stays off the disk);
        // a malformed request says nothing about the content, and is not kept.
        .putHeader("Cache-Control", malformed ? "no-store" : "public, max-age=10")
        .end(malformed ? "bad request\n" : "not found\n");
  }

  /** Carries a refusal out of the worker task; an expected outcome, so without a stack trace. */
  private static final class RefusedPath extends RuntimeException {
    private final transient MediaPath.Refusal refusal;

    RefusedPath(MediaPath.Refusal refusal) {
      super(refusal.name(), null, false, false);
      this.refusal = refusal;
    }
  }
}
