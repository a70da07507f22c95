package dev.swarmcdn.peer.player;

/**
 * What a virtual player lived through.
 *
 * @param startupMs      start to the first segment in hand (playback starts then), -1 before
 * @param stalls         times playback stopped for want of the next segment
 * @param stalledMs      time spent stalled, the current stall included
 * @param longestStallMs the longest stall
 * @param currentTime    the media time played
 * @param segments       segments handed to playback
 * @param skipped        segments that left the live window before they could be had
 * @param errors         segment loads that failed and were tried again
 */
public record PlaybackStats(long startupMs, long stalls, long stalledMs, long longestStallMs, double currentTime,
    long segments, long skipped, long errors) {
}
