package io.switchboard.limit;

/**
 * Per-minute allowances of one scope; 0 leaves that dimension unlimited. Values are capped at
 * {@link #MAX_PER_MINUTE} so that a limiter's arithmetic stays exact and never overflows.
 */
public record Limits(long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute) {

  public static final long MAX_PER_MINUTE = 1_000_000_000_000L;
  public static final Limits NONE = new Limits(0, 0, 0);

  public Limits {
    check(requestsPerMinute);
    check(inputTokensPerMinute);
    check(outputTokensPerMinute);
  }

  private static void check(long perMinute) {
    if (perMinute < 0 || perMinute > MAX_PER_MINUTE) {
      throw new IllegalArgumentException("a per-minute limit must be between 0 and " + MAX_PER_MINUTE + ": "
        + perMinute);
    }
  }

  public boolean unlimited() {
    return requestsPerMinute == 0 && inputTokensPerMinute == 0 && outputTokensPerMinute == 0;
  }

  /** The allowance of one dimension; 0 when it is unlimited. */
  public long perMinute(Dimension dimension) {
    return switch (dimension) {
      case REQUESTS -> requestsPerMinute;
      case INPUT_TOKENS -> inputTokensPerMinute;
      case OUTPUT_TOKENS -> outputTokensPerMinute;
    };
  }
}
