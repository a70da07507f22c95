package dev.swarmcdn.loadtests;

import java.time.Duration;

/**
 * What a run is aimed at and how hard it loads, from system properties ({@code -Dedge=...}): the
 * defaults are the addresses of {@code ./cdn demo}, so a simulation runs against it with no option.
 */
public final class Settings {

  private Settings() {}

  /** Base URL of the edge viewers load from. */
  public static String edge() {
    return text("edge", "http://127.0.0.1:8081");
  }

  /** Base URL of the tracker: its HTTP API ({@code /route}) and, with ws://, its WebSocket at {@code /ws}. */
  public static String tracker() {
    return text("tracker", "http://127.0.0.1:8090");
  }

  /** The tracker's WebSocket URL, derived from {@link #tracker()}. */
  public static String trackerWebSocket() {
    return tracker().replaceFirst("^http", "ws") + "/ws";
  }

  /** The live stream: {@code ./cdn demo} generates {@code demo}. */
  public static String stream() {
    return text("stream", "demo");
  }

  /** The VOD title under {@code /vod/} (a folder of the origin's media root). */
  public static String title() {
    return text("title", "bench");
  }

  /** How many virtual users arrive in all. */
  public static int viewers(int defaultCount) {
    return Integer.getInteger("viewers", defaultCount);
  }

  /** How long each viewer stays (or, for bursts, how long arrivals last). */
  public static Duration duration(int defaultSeconds) {
    return Duration.ofSeconds(Integer.getInteger("duration", defaultSeconds));
  }

  /** Over how long viewers arrive. */
  public static Duration ramp(int defaultSeconds) {
    return Duration.ofSeconds(Integer.getInteger("ramp", defaultSeconds));
  }

  public static int integer(String name, int defaultValue) {
    return Integer.getInteger(name, defaultValue);
  }

  private static String text(String name, String defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : value.strip().replaceAll("/+$", "");
  }
}
