package io.switchboard.execute;

import io.switchboard.budget.Budgets;
import io.switchboard.bus.Addresses;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Pricing;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.HashMap;
import java.util.Map;

/**
 * Prices a finished request and publishes it as a {@link UsageRecord}, exactly one per routed request; and
 * publishes every upstream call it made as an {@link AttemptRecord}, and every escalation as an
 * {@link EscalationRecord}. A request that paid for answers it did not return (escalated or drafted ones) is
 * recorded with the tokens and cost of all its answers together, under the model that gave the returned one.
 */
public final class Accountant {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus bus;
  private final GatewayConfig config;
  private final Budgets budgets;
  // requests of this verticle's event loop that hold a reservation, until their usage is recorded
  private final Map<String, CallerAdmission> admitted = new HashMap<>();
  // answers a request paid for but did not return, until its usage is recorded
  private final Map<String, Charges> charged = new HashMap<>();

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
   * Adds an answer the request paid for but does not return (it failed its quality check, or it was a draft) to
   * the request's usage record.
   */
  void charge(String decisionId, Answer answer) {
    Usage usage = answer.completion().usage();
    charged.computeIfAbsent(decisionId, id -> new Charges(usage))
      .add(Pricing.cost(answer.servedBy().model().prices(), usage), usage);
  }

  /** Publishes the fact of one escalation. */
  void escalated(EscalationRecord record) {
    bus.publish(Addresses.ESCALATION_RECORDED, record, LOCAL);
  }

  /**
   * @param usage what the returned answer consumed ({@link Usage#NONE} when there is none); answers the request
   *              was {@linkplain #charge charged} for are added to it
   * @param ttfbNanos upstream time to first byte, 0 when none arrived
   * @param overheadNanos time spent in the gateway itself
   */
  public UsageRecord record(String decisionId, Routed routed, Usage usage, Outcome outcome, boolean streaming,
                            long startNanos, long ttfbNanos, long overheadNanos) {
    long cost = Pricing.cost(routed.model().prices(), usage);
    long baseline = Pricing.cost(config.baseline().prices(), usage);
    Usage total = usage;
    Charges earlier = charged.remove(decisionId);
    if (earlier != null) {
      cost += earlier.costMicros;
      total = sum(earlier.usage, usage);
      // the baseline model would have answered the client's conversation once: the first call's prompt, and
      // the returned answer (a reviewer's prompt also holds the draft, which the baseline would not have read)
      Usage first = earlier.first;
      baseline = usage.totalTokens() == 0 ? 0 : Pricing.cost(config.baseline().prices(), new Usage(
        first.promptTokens(), usage.completionTokens(), first.cachedTokens(), first.cacheWriteTokens(), false));
    }
    UsageRecord record = new UsageRecord(decisionId, routed.decision().policy(), routed.model().id(),
      routed.model().provider(), routed.classification().taskType().wireName(),
      routed.classification().complexity().wireName(), total, cost, baseline, outcome, streaming,
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

  private static Usage sum(Usage a, Usage b) {
    return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
      a.cachedTokens() + b.cachedTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(), a.estimated() || b.estimated());
  }

  /** What the answers a request did not return consumed and cost, and the first of them. */
  private static final class Charges {
    final Usage first;
    Usage usage = Usage.NONE;
    long costMicros;

    Charges(Usage first) {
      this.first = first;
    }

    void add(long micros, Usage more) {
      costMicros += micros;
      usage = sum(usage, more);
    }
  }

  /** The gateway's own count, for calls whose provider reported no usage. */
  public static Usage estimated(Routed routed, long completionTokens) {
    return new Usage(routed.classification().features().promptTokens(), completionTokens, 0, 0, true);
  }
}
