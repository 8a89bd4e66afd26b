package io.switchboard.limit;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The buckets of one scope, one per limited dimension. Its monitor guards them and the permits it grants; it is
 * held for a few arithmetic steps only, and scopes never share one, so callers on other scopes do not contend.
 */
final class ScopeBuckets {

  private static final Dimension[] DIMENSIONS = Dimension.values();
  private static final long NANOS_PER_MILLI = 1_000_000;

  private final LongSupplier nanoClock;
  private final Bucket[] buckets = new Bucket[DIMENSIONS.length];
  private Limits limits = Limits.NONE;
  /** Time up to which refill has been credited; less than a millisecond behind the clock after each refill. */
  private long refilledNanos;

  ScopeBuckets(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.refilledNanos = nanoClock.getAsLong();
  }

  synchronized Admission acquire(Limits wanted, long inputTokens, long outputTokens) {
    refill();
    adopt(wanted);
    Dimension lacking = null;
    long longestWait = 0;
    for (Dimension dimension : DIMENSIONS) {
      Bucket bucket = buckets[dimension.ordinal()];
      long wait = bucket == null ? 0 : bucket.waitMillis(units(dimension, inputTokens, outputTokens));
      if (wait > longestWait) {
        lacking = dimension;
        longestWait = wait;
      }
    }
    if (lacking != null) {
      return new Admission.Denied(lacking, longestWait);
    }
    for (Dimension dimension : DIMENSIONS) {
      Bucket bucket = buckets[dimension.ordinal()];
      if (bucket != null) {
        bucket.take(units(dimension, inputTokens, outputTokens));
      }
    }
    return new Admission.Granted(new Grant(inputTokens, outputTokens));
  }

  /** Whole units of {@code dimension} available now; empty when it is not limited. */
  synchronized OptionalLong available(Dimension dimension) {
    refill();
    Bucket bucket = buckets[dimension.ordinal()];
    return bucket == null ? OptionalLong.empty() : OptionalLong.of(bucket.available());
  }

  private void refill() {
    long millis = (nanoClock.getAsLong() - refilledNanos) / NANOS_PER_MILLI;
    if (millis <= 0) {
      return;
    }
    refilledNanos += millis * NANOS_PER_MILLI;
    for (Bucket bucket : buckets) {
      if (bucket != null) {
        bucket.refill(millis);
      }
    }
  }

  private void adopt(Limits wanted) {
    if (wanted.equals(limits)) {
      return;
    }
    for (Dimension dimension : DIMENSIONS) {
      int i = dimension.ordinal();
      long perMinute = wanted.perMinute(dimension);
      if (perMinute == 0) {
        buckets[i] = null;
      } else if (buckets[i] == null) {
        buckets[i] = new Bucket(perMinute);
      } else {
        buckets[i].resize(perMinute);
      }
    }
    limits = wanted;
  }

  /** Moves {@code units} of one dimension: taken when positive, given back when negative. */
  private void move(Dimension dimension, long units) {
    Bucket bucket = buckets[dimension.ordinal()];
    if (bucket == null) {
      return;
    }
    if (units > 0) {
      bucket.take(units);
    } else {
      bucket.giveBack(-units);
    }
  }

  private static long units(Dimension dimension, long inputTokens, long outputTokens) {
    return switch (dimension) {
      case REQUESTS -> 1;
      case INPUT_TOKENS -> inputTokens;
      case OUTPUT_TOKENS -> outputTokens;
    };
  }

  /** What one granted call took; corrected against the scope's buckets as they are when the call ends. */
  private final class Grant implements Permit {

    private final long inputTokens;
    private final long outputTokens;
    private boolean released;

    Grant(long inputTokens, long outputTokens) {
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
    }

    @Override
    public void settle(long actualInputTokens, long actualOutputTokens) {
      synchronized (ScopeBuckets.this) {
        if (released) {
          return;
        }
        released = true;
        refill();
        move(Dimension.INPUT_TOKENS, Math.max(0, actualInputTokens) - inputTokens);
        move(Dimension.OUTPUT_TOKENS, Math.max(0, actualOutputTokens) - outputTokens);
      }
    }

    @Override
    public void refund() {
      synchronized (ScopeBuckets.this) {
        if (released) {
          return;
        }
        released = true;
        refill();
        move(Dimension.REQUESTS, -1);
        move(Dimension.INPUT_TOKENS, -inputTokens);
        move(Dimension.OUTPUT_TOKENS, -outputTokens);
      }
    }
  }
}
