package io.switchboard.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.store.LuaScript;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Limits shared by every gateway instance through Redis: a scope's buckets live there, and one Lua script
 * ({@code redis/rate-limit.lua}) admits a call against all of them at once, on Redis's clock. When Redis fails or
 * does not answer within {@code redis.timeout_ms}, the call is admitted by this node alone against its share of
 * each limit (the limit divided by {@code redis.instances}) and counted in
 * {@code switchboard_ratelimit_fallbacks_total}; Redis is asked again a second later and used as soon as it
 * answers. Thread-safe; one instance serves every event loop of a node.
 */
public final class RedisRateLimiter implements RateLimiter {

  static final LuaScript SCRIPT = LuaScript.load("rate-limit");
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final Future<Admission> UNLIMITED = Future.succeededFuture(new Admission.Granted(Permit.NONE));
  private static final Dimension[] DIMENSIONS = Dimension.values();
  /** After a failure, calls are answered locally this long instead of each waiting out the timeout. */
  private static final long RETRY_REDIS_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisStore store;
  private final int instances;
  private final LocalRateLimiter local = new LocalRateLimiter();
  private final Counter fallbacks;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private volatile long retryRedisAtNanos = System.nanoTime();

  public RedisRateLimiter(RedisStore store, MeterRegistry registry) {
    this.store = store;
    this.instances = store.config().instances();
    this.fallbacks = Counter.builder("switchboard.ratelimit.fallbacks")
      .description("Rate-limit decisions this node made alone, on its share of each limit, because Redis failed "
        + "or did not answer in time")
      .register(registry);
  }

  @Override
  public Future<Admission> acquire(String scope, Limits limits, long inputTokens, long outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token estimates cannot be negative");
    }
    if (limits.unlimited()) {
      return UNLIMITED;
    }
    if (System.nanoTime() - retryRedisAtNanos < 0) {
      return locally(scope, limits, inputTokens, outputTokens);
    }
    List<String> keys = ScopeKeys.of(store, scope);
    return store.eval(SCRIPT, keys, args("acquire", limits, 1, inputTokens, outputTokens))
      .map(reply -> answered(reply, keys, limits, inputTokens, outputTokens))
      .recover(failure -> {
        // a call that timed out may still run in Redis later and take from the shared limit: the safe side
        failed(failure);
        return locally(scope, limits, inputTokens, outputTokens);
      });
  }

  private Admission answered(Response reply, List<String> keys, Limits limits, long inputTokens, long outputTokens) {
    int lacking = reply.get(0).toInteger();
    Admission admission = lacking == 0
      ? new Admission.Granted(new RedisPermit(store, keys, limits, inputTokens, outputTokens))
      : new Admission.Denied(DIMENSIONS[lacking - 1], reply.get(1).toLong());
    if (degraded.compareAndSet(true, false)) {
      LOG.info("Redis answers again: rate limits are shared across instances again");
    }
    return admission;
  }

  private void failed(Throwable failure) {
    retryRedisAtNanos = System.nanoTime() + RETRY_REDIS_NANOS;
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("Redis failed ({}): each instance enforces 1/{} of every rate limit until it answers again",
        failure.toString(), instances);
    }
  }

  private Future<Admission> locally(String scope, Limits limits, long inputTokens, long outputTokens) {
    fallbacks.increment();
    Limits share = new Limits(share(limits.requestsPerMinute()), share(limits.inputTokensPerMinute()),
      share(limits.outputTokensPerMinute()));
    return local.acquire(scope, share, inputTokens, outputTokens);
  }

  /** This node's part of a limit while it cannot coordinate; a limited dimension stays limited, never closed. */
  private long share(long perMinute) {
    return perMinute == 0 ? 0 : Math.max(1, perMinute / instances);
  }

  /** The script's arguments: the mode, the three limits, then the units of each dimension, capped like a Bucket's. */
  static List<String> args(String mode, Limits limits, long requests, long inputTokens, long outputTokens) {
    return List.of(mode, Long.toString(limits.requestsPerMinute()), Long.toString(limits.inputTokensPerMinute()),
      Long.toString(limits.outputTokensPerMinute()), units(requests), units(inputTokens), units(outputTokens));
  }

  private static String units(long units) {
    return Long.toString(Math.max(-Limits.MAX_PER_MINUTE, Math.min(units, Limits.MAX_PER_MINUTE)));
  }
}
