package io.switchboard.execute;

import io.switchboard.budget.Budgets;
import io.switchboard.bus.Addresses;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Pricing;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.HashMap;
import java.util.Map;

/**
 * Prices a finished request and publishes it as a {@link UsageRecord}, exactly one per routed request; and
 * publishes every upstream call it made as an {@link AttemptRecord}.
 */
public final class Accountant {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus bus;
  private final GatewayConfig config;
  private final Budgets budgets;
  // requests of this verticle's event loop that hold a reservation, until their usage is recorded
  private final Map<String, CallerAdmission> admitted = new HashMap<>();

  public Accountant(EventBus bus, GatewayConfig config, Budgets budgets) {
    this.bus = bus;
    this.config = config;
    this.budgets = budgets;
  }

  /** Keeps what the request took until {@link #record} settles it to the real cost. */
  void hold(String decisionId, CallerAdmission admission) {
    admitted.put(decisionId, admission);
  }

  /**
   * @param ttfbNanos upstream time to first byte, 0 when none arrived
   * @param overheadNanos time spent in the gateway itself
   */
  public UsageRecord record(String decisionId, Routed routed, Usage usage, Outcome outcome, boolean streaming,
                            long startNanos, long ttfbNanos, long overheadNanos) {
    long cost = Pricing.cost(routed.model().prices(), usage);
    long baseline = Pricing.cost(config.baseline().prices(), usage);
    UsageRecord record = new UsageRecord(decisionId, routed.decision().policy(), routed.model().id(),
      routed.model().provider(), routed.classification().taskType().wireName(),
      routed.classification().complexity().wireName(), usage, cost, baseline, outcome, streaming,
      (System.nanoTime() - startNanos) / 1_000_000, ttfbNanos / 1_000_000, overheadNanos / 1_000,
      System.currentTimeMillis());
    CallerAdmission admission = admitted.remove(decisionId);
    if (admission != null) {
      admission.settle(budgets, record);
    }
    bus.publish(Addresses.USAGE_RECORDED, record, LOCAL);
    return record;
  }

  /**
   * Records a request answered from the response cache. Nothing was called, so nothing was spent: no tokens, no
   * cost; the savings are what the baseline model would have cost for the tokens of the cached answer.
   *
   * @param model the configured model that produced the cached answer
   * @param answered what producing the cached answer consumed
   */
  public UsageRecord cacheHit(String decisionId, String policy, String model, String taskType, String complexity,
                              Usage answered, boolean streaming, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    UsageRecord record = new UsageRecord(decisionId, policy, model, config.models().get(model).provider(), taskType,
      complexity, Usage.NONE, 0, Pricing.cost(config.baseline().prices(), answered), Outcome.OK, streaming,
      elapsed / 1_000_000, 0, elapsed / 1_000, System.currentTimeMillis());
    bus.publish(Addresses.USAGE_RECORDED, record, LOCAL);
    return record;
  }

  /** Publishes the fact of one upstream call (see {@link AttemptRecord}). */
  public void attempt(String decisionId, UpstreamCall call) {
    bus.publish(Addresses.ATTEMPT_RECORDED, new AttemptRecord(decisionId, call.attempt(), call.model().id(),
      call.model().provider(), call.keyLabel(), call.outcome(), (System.nanoTime() - call.startedNanos()) / 1_000_000,
      call.usage(), System.currentTimeMillis()), LOCAL);
  }

  /** The gateway's own count, for calls whose provider reported no usage. */
  public static Usage estimated(Routed routed, long completionTokens) {
    return new Usage(routed.classification().features().promptTokens(), completionTokens, 0, 0, true);
  }
}
