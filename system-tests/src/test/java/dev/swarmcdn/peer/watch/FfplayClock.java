package dev.swarmcdn.peer.watch;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Reads ffplay's status line ({@code -stats}: the master clock first, rewritten with '\r' as it
 * plays) and completes once the clock has moved {@code seconds} past the first time it showed.
 * ffplay's {@code -t} cannot end a live stream (it exits at end of file only), so the test watches
 * the clock instead. Keeps the other lines, for failure messages.
 */
final class FfplayClock {
  private final double seconds;
  private final CompletableFuture<Double> played = new CompletableFuture<>();
  private final StringBuilder messages = new StringBuilder();
  private double first = Double.NaN;
  private double last = Double.NaN;

  FfplayClock(double seconds) {
    this.seconds = seconds;
  }

  /** Reads {@code stream} on a thread of its own until it ends. */
  FfplayClock follow(InputStream stream) {
    Thread reader = new Thread(() -> {
      StringBuilder line = new StringBuilder();
      try {
        int c;
        while ((c = stream.read()) >= 0) {
          if (c == '\r' || c == '\n') {
            take(line.toString());
            line.setLength(0);
          } else {
            line.append((char) c);
          }
        }
        take(line.toString());
      } catch (IOException ended) {
        // ffplay was stopped
      }
      played.completeExceptionally(new IllegalStateException("ffplay ended after " + playedSeconds()
          + " s of media: " + messages()));
    }, "ffplay-stderr");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  private synchronized void take(String line) {
    String trimmed = line.trim();
    int space = trimmed.indexOf(' ');
    if (trimmed.contains("M-A:") || trimmed.contains("A-V:")) {
      try {
        double clock = Double.parseDouble(trimmed.substring(0, space));
        if (Double.isNaN(first)) {
          first = clock;
        }
        last = clock;
        if (last - first >= seconds) {
          played.complete(last - first);
        }
      } catch (NumberFormatException | StringIndexOutOfBoundsException notYet) {
        // "nan" before the first frame
      }
      return;
    }
    if (!trimmed.isEmpty() && !trimmed.startsWith("nan")) {
      messages.append(trimmed).append("\n");
    }
  }

  synchronized double playedSeconds() {
    return Double.isNaN(first) ? 0 : last - first;
  }

  synchronized String messages() {
    return messages.toString();
  }

  /** Completes with the seconds played once they reach the goal; fails if ffplay ends first. */
  CompletableFuture<Double> played() {
    return played;
  }
}
