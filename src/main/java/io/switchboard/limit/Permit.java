package io.switchboard.limit;

/**
 * What a granted call took from its scope's limits, to be corrected when the call ends. Only the first of
 * {@link #settle} and {@link #refund} counts; later calls to either are ignored, so every path that ends a call
 * may release its permit without coordinating with the others. Thread-safe.
 */
public interface Permit {

  /** Takes nothing and gives nothing back: the permit of a call with no limits. */
  Permit NONE = new Permit() {
    @Override
    public void settle(long actualInputTokens, long actualOutputTokens) {
    }

    @Override
    public void refund() {
    }
  };

  /**
   * Replaces the estimates with what the call really used: unused tokens go back, extra ones are taken even
   * when that leaves the scope in debt, so later calls wait until it is paid off. The request itself counts.
   */
  void settle(long actualInputTokens, long actualOutputTokens);

  /** Gives everything back, the request included: the call never reached the provider. */
  void refund();
}
