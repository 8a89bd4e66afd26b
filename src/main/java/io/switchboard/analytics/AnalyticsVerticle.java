package io.switchboard.analytics;

import io.switchboard.bus.Addresses;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Turns published usage, attempt and escalation facts into Prometheus counters (requests, tokens, cost, savings,
 * attempts, escalations).
 */
public final class AnalyticsVerticle extends VerticleBase {

  private final GatewayMeters meters;

  public AnalyticsVerticle(GatewayMeters meters) {
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    return Future.all(
      vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> meters.record(m.body())).completion(),
      vertx.eventBus().<AttemptRecord>localConsumer(Addresses.ATTEMPT_RECORDED, m -> meters.record(m.body()))
        .completion(),
      vertx.eventBus().<EscalationRecord>localConsumer(Addresses.ESCALATION_RECORDED, m -> meters.escalation(m.body()))
        .completion());
  }
}
