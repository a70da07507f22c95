package dev.swarmcdn.peer.watch;

import dev.swarmcdn.peer.engine.EngineOptions;

/**
 * What {@code cdn peer watch} is told.
 *
 * @param source      the master (or media) playlist: a URL, or a path with {@code route}
 * @param listenHost  interface of the local HTTP server
 * @param listenPort  its port (0: any free one)
 * @param rendition   the rendition to play through the engine (URI or name), or null for the first listed
 * @param engine      the engine's options: its {@code route} or {@code tracker} names the swarm's tracker
 */
public record WatchOptions(String source, String listenHost, int listenPort,
    String rendition, EngineOptions engine) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;

  public WatchOptions {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("name the stream's master playlist: a URL, or a path with --route");
    }
    String route = engine.route();
    boolean absolute = source.startsWith("http://") || source.startsWith("https://");
    if (route == null && !absolute) {
      throw new IllegalArgumentException("'" + source + "' is no http(s) URL: give a URL, or a path with --route");
    }
    if (route != null && !absolute && !source.startsWith("/")) {
      throw new IllegalArgumentException("with --route, give the playlist's path (/live/NAME/master.m3u8), not '"
          + source + "'");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("--listen port must be 0 to 65535, not " + listenPort);
    }
  }

  /** {@code HOST:PORT} or {@code PORT} into host and port. */
  public static String[] parseListen(String listen) {
    String host = DEFAULT_HOST;
    String port = listen.trim();
    int colon = port.lastIndexOf(':');
    if (colon >= 0) {
      host = port.substring(0, colon).replaceAll("^\\[|]$", "");
      port = port.substring(colon + 1);
    }
    if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("--listen takes HOST:PORT (e.g. 127.0.0.1:8765), not '" + listen + "'");
    }
    return new String[] {host, port};
  }
}
