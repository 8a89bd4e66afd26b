package io.switchboard.analytics;

import io.switchboard.bus.Addresses;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Turns published usage and attempt facts into Prometheus counters (requests, tokens, cost, savings, attempts). */
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
        .completion());
  }
}
