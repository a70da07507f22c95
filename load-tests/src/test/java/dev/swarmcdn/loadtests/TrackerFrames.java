package dev.swarmcdn.loadtests;

import java.util.Locale;

/**
 * The frames a viewer sends on the tracker's WebSocket (docs/PROTOCOL.md, "Tracker protocol"). Ids,
 * swarm and rendition names are base64url or plain ASCII, so they go into JSON as they are.
 */
public final class TrackerFrames {

  /** The size of a real offer's SDP (two media sections, ICE credentials, fingerprint), more or less. */
  private static final String SDP_FILLER = "a=x-filler:" + "0123456789abcdef".repeat(30);

  private TrackerFrames() {}

  public static String join(String swarm, String rendition) {
    return String.format(Locale.ROOT,
        "{\"v\":1,\"type\":\"join\",\"swarm\":\"%s\",\"rendition\":\"%s\",\"edge\":\"gatling\",\"uploadSlots\":4}",
        swarm, rendition);
  }

  /** An offer or answer for peer {@code to}, numbered {@code seq}; {@code last} ends the conversation. */
  public static String signal(String swarm, String rendition, String to, String kind, int seq, boolean last) {
    return String.format(Locale.ROOT,
        "{\"v\":1,\"type\":\"signal\",\"to\":\"%s\",\"swarm\":\"%s\",\"rendition\":\"%s\",\"kind\":\"%s\","
            + "\"data\":{\"type\":\"%s\",\"sdp\":\"v=0\\r\\n%s\\r\\n\",\"seq\":%d,\"last\":%b}}",
        to, swarm, rendition, kind, kind, SDP_FILLER, seq, last);
  }

  public static String have(String swarm, String rendition, long newest) {
    return String.format(Locale.ROOT,
        "{\"v\":1,\"type\":\"have\",\"swarm\":\"%s\",\"rendition\":\"%s\",\"newest\":%d}", swarm, rendition, newest);
  }

  public static String ping() {
    return "{\"v\":1,\"type\":\"ping\"}";
  }
}
