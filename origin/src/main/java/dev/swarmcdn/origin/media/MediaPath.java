package dev.swarmcdn.origin.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a request path onto a file below a root folder, refusing anything that could leave it:
 * dot-segments (also percent-encoded), backslashes, NUL, absolute paths, and symbolic links whose
 * target lies outside the root.
 */
public final class MediaPath {

  private final Path root;
  private final Path realRoot;

  public MediaPath(Path root) {
    this.root = root.toAbsolutePath().normalize();
    Path real;
    try {
      real = Files.exists(this.root) ? this.root.toRealPath() : this.root;
    } catch (IOException e) {
      real = this.root;
    }
    this.realRoot = real;
  }

  public Path root() {
    return root;
  }

  /** Why a request path was refused; the handler turns it into a status code. */
  public enum Refusal { MALFORMED, OUTSIDE_ROOT, NOT_FOUND }

  /** The outcome of resolving one request path: a regular file, or the reason it was refused. */
  public record Resolution(Path file, Refusal refusal) {
    public boolean ok() {
      return file != null;
    }
  }

  /**
   * @param decodedRelative the request path below the mount point, already percent-decoded once
   *                        (Vert.x's {@code pathParam("*")}), without a leading slash
   */
  public Resolution resolve(String decodedRelative) {
    if (decodedRelative == null || decodedRelative.isEmpty()) {
      return new Resolution(null, Refusal.NOT_FOUND);
    }
    if (decodedRelative.indexOf('\0') >= 0 || decodedRelative.indexOf('\\') >= 0
        || decodedRelative.startsWith("/") || decodedRelative.contains("%")) {
      // A '%' left after one decoding means double encoding (%252e): never legitimate in our URIs.
      return new Resolution(null, Refusal.MALFORMED);
    }
    for (String segment : decodedRelative.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        return new Resolution(null, Refusal.MALFORMED);
      }
    }
    Path candidate = root.resolve(decodedRelative).normalize();
    if (!candidate.startsWith(root)) {
      return new Resolution(null, Refusal.OUTSIDE_ROOT);
    }
    if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.exists(candidate)) {
      return new Resolution(null, Refusal.NOT_FOUND);
    }
    try {
      Path real = candidate.toRealPath();
      if (!real.startsWith(realRoot)) {
        return new Resolution(null, Refusal.OUTSIDE_ROOT);
      }
      if (!Files.isRegularFile(real)) {
        return new Resolution(null, Refusal.NOT_FOUND);
      }
      return new Resolution(real, null);
    } catch (IOException e) {
      return new Resolution(null, Refusal.NOT_FOUND);
    }
  }
}
