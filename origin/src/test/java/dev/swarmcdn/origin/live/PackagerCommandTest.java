package dev.swarmcdn.origin.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmcdn.origin.OriginConfig;
import dev.swarmcdn.origin.Rendition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ffmpeg command line of the live packager. */
class PackagerCommandTest {

  private static String initFilename(String ladder) {
    OriginConfig config = OriginConfig.defaults().withLive(List.of("t"))
        .withLadder(Rendition.parseLadder(ladder), 15);
    List<String> args = PackagerCommand.build(config, Path.of("/tmp/t"), 3);
    return args.get(args.indexOf("-hls_fmp4_init_filename") + 1);
  }

  @Test
  void oneRenditionNamesItsInitSegmentWithoutAPlaceholder() {
    // ffmpeg leaves %v as it is for a single variant: players then asked for init_e3_%v.mp4.
    assertEquals("init_e3_360p.mp4", initFilename("360p:640x360:800"));
  }

  @Test
  void severalRenditionsLetFfmpegNameEachInitSegment() {
    assertEquals("init_e3_%v.mp4", initFilename("360p:640x360:800,180p:320x180:200"));
  }
}
