package io.switchboard.analytics;

import io.switchboard.bus.Addresses;
import io.switchboard.config.Prices;
import io.switchboard.cost.CacheSavings;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.Map;

/**
 * Turns published usage, attempt and escalation facts into Prometheus counters (requests, tokens, cost, savings,
 * attempts, escalations).
 */
public final class AnalyticsVerticle extends VerticleBase {

  private final GatewayMeters meters;
  private final Map<String, Prices> prices;

  public AnalyticsVerticle(GatewayMeters meters) {
    this(meters, Map.of());
  }

  /** @param prices by model id, to price what prompt caches saved */
  public AnalyticsVerticle(GatewayMeters meters, Map<String, Prices> prices) {
    this.meters = meters;
    this.prices = Map.copyOf(prices);
  }

  @Override
  public Future<?> start() {
    return Future.all(
      vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> usage(m.body())).completion(),
      vertx.eventBus().<AttemptRecord>localConsumer(Addresses.ATTEMPT_RECORDED, m -> meters.record(m.body()))
        .completion(),
      vertx.eventBus().<EscalationRecord>localConsumer(Addresses.ESCALATION_RECORDED, m -> meters.escalation(m.body()))
        .completion());
  }

  private void usage(UsageRecord record) {
    meters.record(record);
    Prices rates = prices.get(record.model());
    if (rates != null) {
      meters.promptCacheSavings(record.model(), record.provider(), CacheSavings.of(rates, record.usage()));
    }
  }
}
