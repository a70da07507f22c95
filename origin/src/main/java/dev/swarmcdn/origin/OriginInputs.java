package dev.swarmcdn.origin;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files and folders an operator names for an origin, checked before it starts: a missing
 * {@code --media-root} was served as a 404 for every title, and a missing {@code --live-source}
 * made ffmpeg fail and restart forever. Each refusal is one line starting with its flag.
 */
public final class OriginInputs {
  /** The built-in {@code --media-root}: absent in a fresh checkout, which then serves no VOD. */
  public static final Path DEFAULT_MEDIA_ROOT = Path.of("media");

  private OriginInputs() {
  }

  /**
   * @return what the origin serves on demand, for its start banner
   * @throws IllegalArgumentException naming the flag of an input that cannot be used
   */
  public static String check(OriginConfig config) {
    Path root = config.mediaRoot();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IllegalArgumentException("--media-root " + root + ": not a folder");
    }
    if (!Files.exists(root) && !root.equals(DEFAULT_MEDIA_ROOT)) {
      throw new IllegalArgumentException("--media-root " + root + ": no such folder");
    }
    String source = config.liveSource();
    if (!config.liveStreams().isEmpty() && !"testsrc".equals(source) && !Files.isRegularFile(Path.of(source))) {
      throw new IllegalArgumentException("--live-source " + source + ": no such file (a media file to loop, or testsrc)");
    }
    return Files.isDirectory(root) ? "from " + root.toAbsolutePath() : "none: no folder " + root + "; --media-root DIR serves one";
  }
}
