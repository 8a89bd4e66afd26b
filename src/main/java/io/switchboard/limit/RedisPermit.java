package io.switchboard.limit;

import io.switchboard.store.RedisStore;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a call admitted through Redis took; its correction goes back to the scope's buckets there. */
final class RedisPermit implements Permit {

  private final RedisStore store;
  private final List<String> keys;
  private final Limits limits;
  private final long inputTokens;
  private final long outputTokens;
  private final AtomicBoolean released = new AtomicBoolean();

  RedisPermit(RedisStore store, List<String> keys, Limits limits, long inputTokens, long outputTokens) {
    this.store = store;
    this.keys = keys;
    this.limits = limits;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
  }

  @Override
  public void settle(long actualInputTokens, long actualOutputTokens) {
    if (released.compareAndSet(false, true)) {
      move(0, Math.max(0, actualInputTokens) - inputTokens, Math.max(0, actualOutputTokens) - outputTokens);
    }
  }

  @Override
  public void refund() {
    if (released.compareAndSet(false, true)) {
      move(-1, -inputTokens, -outputTokens);
    }
  }

  private void move(long requests, long input, long output) {
    boolean anything = limits.requestsPerMinute() != 0 && requests != 0
      || limits.inputTokensPerMinute() != 0 && input != 0
      || limits.outputTokensPerMinute() != 0 && output != 0;
    if (anything) {
      // not awaited: a correction Redis misses is lost, and the estimate stands
      store.eval(RedisRateLimiter.SCRIPT, keys, RedisRateLimiter.args("move", limits, requests, input, output));
    }
  }
}
