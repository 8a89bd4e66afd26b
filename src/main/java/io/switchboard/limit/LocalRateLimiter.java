package io.switchboard.limit;

import io.vertx.core.Future;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Limits held in this JVM: token buckets per scope and limited dimension, each holding a minute's allowance and
 * refilled continuously. One instance serves every event loop of a node; its futures are already complete.
 * Scopes are created on first use and kept: they are named by configuration (models, keys), so they are few.
 */
public final class LocalRateLimiter implements RateLimiter {

  private static final Future<Admission> UNLIMITED = Future.succeededFuture(new Admission.Granted(Permit.NONE));

  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, ScopeBuckets> scopes = new ConcurrentHashMap<>();

  public LocalRateLimiter() {
    this(System::nanoTime);
  }

  /** @param nanoClock monotonic nanoseconds, as {@link System#nanoTime()} */
  public LocalRateLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Admission> acquire(String scope, Limits limits, long inputTokens, long outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token estimates cannot be negative");
    }
    if (limits.unlimited()) {
      return UNLIMITED;
    }
    ScopeBuckets buckets = scopes.get(scope);
    if (buckets == null) {
      buckets = scopes.computeIfAbsent(scope, name -> new ScopeBuckets(nanoClock));
    }
    return Future.succeededFuture(buckets.acquire(limits, inputTokens, outputTokens));
  }

  /** Whole units of {@code dimension} that {@code scope} has now; empty when the scope has no bucket for it. */
  OptionalLong available(String scope, Dimension dimension) {
    ScopeBuckets buckets = scopes.get(scope);
    return buckets == null ? OptionalLong.empty() : buckets.available(dimension);
  }
}
