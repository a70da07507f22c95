package dev.swarmcdn.origin.packaging;

import dev.swarmcdn.origin.Rendition;
import java.util.List;

/**
 * The H.264 level a rendition is encoded at: the lowest of the usual levels whose frame size and
 * macroblock rate fit. Pinned on the encoder so that the CODECS attribute of the master playlist is
 * true, not a guess.
 */
public record H264Level(String name, int idc, int maxFrameMacroblocks, int maxMacroblocksPerSecond) {

  private static final List<H264Level> LEVELS = List.of(
      new H264Level("3.1", 31, 3_600, 108_000),
      new H264Level("4.0", 40, 8_192, 245_760),
      new H264Level("4.2", 42, 8_704, 522_240),
      new H264Level("5.1", 51, 36_864, 983_040),
      new H264Level("5.2", 52, 36_864, 2_073_600));

  public static H264Level of(Rendition rendition, int frameRate) {
    int macroblocks = ((rendition.width() + 15) / 16) * ((rendition.height() + 15) / 16);
    for (H264Level level : LEVELS) {
      if (macroblocks <= level.maxFrameMacroblocks
          && (long) macroblocks * frameRate <= level.maxMacroblocksPerSecond) {
        return level;
      }
    }
    throw new IllegalArgumentException("rendition too large for H.264 level 5.2: " + rendition);
  }

  /**
   * RFC 6381 codec string for x264's Main profile at this level: profile_idc 77 (0x4d), constraint
   * flags 0x40 (x264 sets constraint_set1 for Main), then the level.
   */
  public String mainProfileCodec() {
    return String.format("avc1.4d40%02x", idc);
  }
}
