package dev.swarmcdn.peer.simulate;

import java.time.Duration;

/**
 * Viewers coming and going once all joined: every {@code every}, {@code leaveShare} of the viewers
 * then playing leave (drawn at random) and {@code joinShare} of the configured number join anew,
 * as viewers of a real stream do. {@link #NONE}: nobody leaves before the end.
 */
public record Churn(Duration every, double leaveShare, double joinShare) {
  public static final Churn NONE = new Churn(Duration.ZERO, 0, 0);

  public Churn {
    if (every.isNegative() || leaveShare < 0 || leaveShare > 1 || joinShare < 0) {
      throw new IllegalArgumentException("churn: a period of 0 or more, a share to leave of 0 to 1, to join of 0 or more");
    }
  }

  public boolean active() {
    return !every.isZero() && (leaveShare > 0 || joinShare > 0);
  }
}
