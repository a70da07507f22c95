package dev.swarmcdn.origin.packaging;

import dev.swarmcdn.kit.run.Executables;
import dev.swarmcdn.origin.OriginInputs;
import dev.swarmcdn.origin.Rendition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdn package INPUT --name NAME}: a media file made into a VOD title the origin serves. */
@Command(name = "package", mixinStandardHelpOptions = true,
    description = {"Packages a media file into an HLS VOD ladder (fMP4 segments, one folder per rendition, a master",
        "playlist) under the media root, ready for an origin to serve at /vod/NAME/master.m3u8 with signed",
        "integrity manifests. Progress once a second. Options may also come from CDN_PACKAGE_<OPTION> or",
        "the key package.<option> of --config FILE."})
public final class PackageCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path configFile;

  @Parameters(index = "0", paramLabel = "INPUT", description = "The media file (anything ffmpeg reads).")
  Path input;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "The title's name: its folder under the media root and its URL, /vod/NAME/master.m3u8.")
  String name;

  @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
      description = "Where the origin finds its VOD titles (default: ${DEFAULT-VALUE}); made if missing.")
  Path mediaRoot;

  @Option(names = "--ladder", defaultValue = Rendition.DEFAULT_LADDER, paramLabel = "NAME:WxH:KBPS,...",
      description = "Renditions, highest first (default: ${DEFAULT-VALUE}).")
  String ladder;

  @Option(names = "--segment-seconds", defaultValue = "4", description = "Segment duration (default: ${DEFAULT-VALUE}).")
  int segmentSeconds;

  @Option(names = "--frame-rate", defaultValue = "30", description = "Frame rate of the output (default: ${DEFAULT-VALUE}).")
  int frameRate;

  @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg executable (default: ${DEFAULT-VALUE}).")
  String ffmpeg;

  @Option(names = "--ffprobe", defaultValue = "ffprobe",
      description = "ffprobe executable, for the duration and the sound (default: ${DEFAULT-VALUE}; optional).")
  String ffprobe;

  @Override
  public Integer call() throws Exception {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("--name " + name + ": letters, digits, '-' and '_' only, at most 64");
    }
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException(input + ": no such file");
    }
    if (segmentSeconds < 1 || segmentSeconds > 30 || frameRate < 1 || frameRate > 120) {
      throw new IllegalArgumentException("--segment-seconds takes 1 to 30 and --frame-rate 1 to 120");
    }
    Path title = mediaRoot.resolve(name);
    if (Files.exists(title)) {
      throw new IllegalArgumentException("--name " + name + ": " + title + " exists; remove it or choose another name");
    }
    if (!found(ffmpeg)) {
      throw new IllegalArgumentException("--ffmpeg " + ffmpeg + ": not found (scripts/install-deps installs ffmpeg)");
    }
    String probe = found(ffprobe) ? ffprobe : null;
    List<Rendition> renditions = Rendition.parseLadder(ladder);
    Files.createDirectories(mediaRoot);
    long[] lastLine = {0};
    new VodPackager(new VodPackager.Tools(ffmpeg, probe), renditions, frameRate, segmentSeconds)
        .run(input, title, progress -> {
          long now = System.nanoTime();
          if (now - lastLine[0] >= 1_000_000_000L) {
            lastLine[0] = now;
            System.out.println(progress.line(name));
          }
        });
    System.out.println("packaged " + name + " into " + title.toAbsolutePath() + ": " + renditions.size()
        + " renditions; an origin with --media-root " + mediaRoot + " serves /vod/" + name + "/master.m3u8"
        + (mediaRoot.equals(OriginInputs.DEFAULT_MEDIA_ROOT) ? " (the demo's too)" : ""));
    return 0;
  }

  /** A program named by its path, or found on PATH as a shell would. */
  private static boolean found(String program) {
    return program.contains("/") ? Files.isExecutable(Path.of(program)) : Executables.onPath(program).isPresent();
  }
}
