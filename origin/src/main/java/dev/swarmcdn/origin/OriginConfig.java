package dev.swarmcdn.origin;

import dev.swarmcdn.kit.http.tls.TlsFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the origin is told at start. Immutable; built by {@link OriginCommand} from flags,
 * environment and config file, or directly by tests and the demo.
 *
 * @param host             interface to bind
 * @param port             HTTP port (0: any free port)
 * @param mediaRoot        folder of on-demand HLS content, served under {@code /vod/}
 * @param dataDir          working folder: live packager output under {@code live/}, the signing key
 * @param liveStreams      names of live streams to run, served under {@code /live/NAME/}
 * @param liveSource       {@code testsrc} for a generated pattern with clock and tone, or a media file
 *                         to loop
 * @param ladder           renditions of each live stream, highest first
 * @param segmentSeconds   target duration of live segments
 * @param windowSegments   segments in a live playlist's sliding window
 * @param graceSeconds     how long a segment stays on disk after it left the window
 * @param frameRate        frames per second of the generated source
 * @param ffmpeg           ffmpeg executable
 * @param signingKey       PKCS#8 Ed25519 private key for integrity manifests; created if missing
 * @param tls              certificate and key: HTTPS only on the port; {@link TlsFiles#NONE}: plain HTTP
 */
public record OriginConfig(
    String host,
    int port,
    Path mediaRoot,
    Path dataDir,
    List<String> liveStreams,
    String liveSource,
    List<Rendition> ladder,
    int segmentSeconds,
    int windowSegments,
    int graceSeconds,
    int frameRate,
    String ffmpeg,
    Path signingKey,
    TlsFiles tls) {

  public OriginConfig {
    tls = tls == null ? TlsFiles.NONE : tls;
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(mediaRoot, "mediaRoot");
    Objects.requireNonNull(dataDir, "dataDir");
    liveStreams = List.copyOf(liveStreams);
    ladder = List.copyOf(ladder);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!liveStreams.isEmpty() && ladder.isEmpty()) {
      throw new IllegalArgumentException("a live stream needs at least one rendition");
    }
    for (String name : liveStreams) {
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "live stream name must be 1-64 letters, digits, '-' or '_': " + name);
      }
    }
    if (segmentSeconds < 1 || windowSegments < 2 || graceSeconds < 0 || frameRate < 1) {
      throw new IllegalArgumentException("segment seconds >= 1, window >= 2, grace >= 0, fps >= 1");
    }
    if (signingKey == null) {
      signingKey = dataDir.resolve("keys").resolve("integrity-ed25519.pk8");
    }
  }

  /** Defaults for one machine: localhost, port 8080, two renditions, 2 s segments, 6 in the window. */
  public static OriginConfig defaults() {
    return new OriginConfig("127.0.0.1", 8080, Path.of("media"), Path.of("data", "origin"),
        List.of(), "testsrc", Rendition.parseLadder(Rendition.DEFAULT_LADDER), 2, 6, 30, 30,
        "ffmpeg", null, TlsFiles.NONE);
  }

  public OriginConfig withPort(int newPort) {
    return new OriginConfig(host, newPort, mediaRoot, dataDir, liveStreams, liveSource, ladder,
        segmentSeconds, windowSegments, graceSeconds, frameRate, ffmpeg, signingKey, tls);
  }

  public OriginConfig withLive(List<String> streams) {
    return new OriginConfig(host, port, mediaRoot, dataDir, streams, liveSource, ladder,
        segmentSeconds, windowSegments, graceSeconds, frameRate, ffmpeg, signingKey, tls);
  }

  public OriginConfig withDirectories(Path newMediaRoot, Path newDataDir) {
    return new OriginConfig(host, port, newMediaRoot, newDataDir, liveStreams, liveSource, ladder,
        segmentSeconds, windowSegments, graceSeconds, frameRate, ffmpeg, null, tls);
  }

  public OriginConfig withLadder(List<Rendition> newLadder, int newFrameRate) {
    return new OriginConfig(host, port, mediaRoot, dataDir, liveStreams, liveSource, newLadder,
        segmentSeconds, windowSegments, graceSeconds, newFrameRate, ffmpeg, signingKey, tls);
  }

  public OriginConfig withRetention(int newWindowSegments, int newGraceSeconds) {
    return new OriginConfig(host, port, mediaRoot, dataDir, liveStreams, liveSource, ladder,
        segmentSeconds, newWindowSegments, newGraceSeconds, frameRate, ffmpeg, signingKey, tls);
  }

  /** Serves HTTPS with this certificate and key ({@link TlsFiles#NONE}: plain HTTP). */
  public OriginConfig withTls(TlsFiles files) {
    return new OriginConfig(host, port, mediaRoot, dataDir, liveStreams, liveSource, ladder,
        segmentSeconds, windowSegments, graceSeconds, frameRate, ffmpeg, signingKey, files);
  }
}
