package dev.swarmcdn.peer.scheduler;

/**
 * A duration-weighted exponentially weighted moving average: each sample counts as much as the time
 * it took, and weight halves every {@code halfLife} seconds of samples.
 */
public final class Ewma {
  private final double alpha;
  private double estimate;
  private double weight;

  public Ewma(double halfLifeSeconds) {
    this.alpha = Math.exp(Math.log(0.5) / halfLifeSeconds);
  }

  public void sample(double value, double weightSeconds) {
    double adjusted = Math.pow(alpha, weightSeconds);
    estimate = value * (1 - adjusted) + adjusted * estimate;
    weight += weightSeconds;
  }

  /** The average, corrected for the zero it started from; NaN before any sample. */
  public double value() {
    return weight > 0 ? estimate / (1 - Math.pow(alpha, weight)) : Double.NaN;
  }

  public boolean measured() {
    return weight > 0;
  }
}
