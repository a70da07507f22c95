package dev.swarmcdn.peer.scheduler;

/**
 * What HTTP transfers achieved: bytes per second and time to first byte. The scheduler sizes peer
 * deadlines with it.
 */
public final class HttpEstimate {
  private final double fallbackBytesPerSecond;
  private final Ewma rate = new Ewma(4);
  private final Ewma ttfb = new Ewma(4);

  /** @param fallbackBitsPerSecond  what to assume before the first sample */
  public HttpEstimate(double fallbackBitsPerSecond) {
    this.fallbackBytesPerSecond = fallbackBitsPerSecond / 8;
  }

  public HttpEstimate() {
    this(1e6);
  }

  /** @param transferMs  first byte to last */
  public void sample(long bytes, long transferMs, long ttfbMs) {
    if (bytes <= 0) {
      return;
    }
    double seconds = Math.max(transferMs, 1) / 1000.0;
    rate.sample(bytes / seconds, seconds);
    ttfb.sample(ttfbMs, 1);
  }

  public double bytesPerSecond() {
    return rate.measured() ? rate.value() : fallbackBytesPerSecond;
  }

  public double ttfbMs() {
    return ttfb.measured() ? ttfb.value() : 200;
  }

  public boolean measured() {
    return rate.measured();
  }

  /** How long an HTTP fetch of {@code bytes} should take. */
  public double expectedMs(long bytes) {
    return ttfbMs() + bytes / bytesPerSecond() * 1000;
  }
}
