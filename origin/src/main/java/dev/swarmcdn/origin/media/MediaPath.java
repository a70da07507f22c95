package dev.swarmcdn.origin.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Maps a request path onto a regular file below a root folder, refusing anything that could leave
 * it: dot-segments (also percent-encoded, once or twice), backslashes, NUL and other control
 * characters, absolute paths, and symbolic links whose target lies outside the root.
 *
 * <p>Blocking: it asks the file system where links lead. Call it off the event loop.
 */
public final class MediaPath {

  private final Path root;

  public MediaPath(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Why a request path was refused; the handler turns it into a status code. */
  public enum Refusal { MALFORMED, OUTSIDE_ROOT, NOT_FOUND }

  /** The outcome of resolving one request path: a regular file, or the reason it was refused. */
  public record Resolution(Path file, Refusal refusal) {
    public Resolution {
      if ((file == null) == (refusal == null)) {
        throw new IllegalArgumentException("exactly one of file and refusal");
      }
    }

    static Resolution refused(Refusal refusal) {
      return new Resolution(null, refusal);
    }

    public boolean ok() {
      return file != null;
    }
  }

  /**
   * @param decodedRelative the request path below the mount point, already percent-decoded once
   *                        (Vert.x's {@code pathParam("*")}), without a leading slash
   */
  public Resolution resolve(String decodedRelative) {
    if (decodedRelative == null || decodedRelative.isEmpty() || decodedRelative.equals("/")
        || decodedRelative.endsWith("/")) {
      // Folders are never listed.
      return Resolution.refused(Refusal.NOT_FOUND);
    }
    if (decodedRelative.startsWith("/") || decodedRelative.indexOf('\\') >= 0
        || decodedRelative.indexOf('%') >= 0 || decodedRelative.chars().anyMatch(Character::isISOControl)) {
      // A '%' left after one decoding means double encoding (%252e): never legitimate in our URIs.
      return Resolution.refused(Refusal.MALFORMED);
    }
    for (String segment : decodedRelative.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        return Resolution.refused(Refusal.MALFORMED);
      }
    }
    Path candidate;
    try {
      candidate = root.resolve(decodedRelative).normalize();
    } catch (InvalidPathException e) {
      return Resolution.refused(Refusal.MALFORMED);
    }
    if (!candidate.startsWith(root)) {
      return Resolution.refused(Refusal.OUTSIDE_ROOT);
    }
    try {
      // Both sides real: a root reached through a link (e.g. /tmp on some systems) still matches,
      // and a link inside the root that points out of it does not.
      Path real = candidate.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        return Resolution.refused(Refusal.OUTSIDE_ROOT);
      }
      return Files.isRegularFile(real) ? new Resolution(real, null) : Resolution.refused(Refusal.NOT_FOUND);
    } catch (IOException missingOrUnreadable) {
      return Resolution.refused(Refusal.NOT_FOUND);
    }
  }
}
