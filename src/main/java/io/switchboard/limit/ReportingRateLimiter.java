package io.switchboard.limit;

import io.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.Locale;

/** A rate limiter that publishes each of its refusals as a {@link RateLimitRefusal}, for the analytics ledger. */
public final class ReportingRateLimiter implements RateLimiter {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final RateLimiter limiter;
  private final EventBus bus;

  public ReportingRateLimiter(RateLimiter limiter, EventBus bus) {
    this.limiter = limiter;
    this.bus = bus;
  }

  @Override
  public Future<Admission> acquire(String scope, Limits limits, long inputTokens, long outputTokens) {
    return limiter.acquire(scope, limits, inputTokens, outputTokens).onSuccess(admission -> {
      if (admission instanceof Admission.Denied denied) {
        bus.publish(Addresses.RATE_LIMIT_REFUSED, new RateLimitRefusal(scope,
          denied.dimension().name().toLowerCase(Locale.ROOT), denied.retryAfterMillis(), System.currentTimeMillis()),
          LOCAL);
      }
    });
  }
}
