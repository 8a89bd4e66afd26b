package io.switchboard.limit;

/** A rate limiter's answer: go ahead holding a {@link Permit}, or wait. */
public sealed interface Admission {

  /** The call may proceed; its permit must be settled or refunded when the call ends. */
  record Granted(Permit permit) implements Admission {
  }

  /**
   * The call does not fit now and nothing was taken.
   *
   * @param dimension        the exhausted dimension; the one with the longest wait when several are
   * @param retryAfterMillis time until this call would fit, if no other call takes the allowance first
   */
  record Denied(Dimension dimension, long retryAfterMillis) implements Admission {

    public Denied {
      if (dimension == null || retryAfterMillis <= 0) {
        throw new IllegalArgumentException("a denial names a dimension and a positive wait");
      }
    }
  }
}
