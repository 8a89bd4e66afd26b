package io.switchboard.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.budget.BudgetEvent;
import io.switchboard.bus.Addresses;
import io.switchboard.config.AnalyticsConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Pricing;
import io.switchboard.cost.UsageRecord;
import io.switchboard.learn.FeedbackRecord;
import io.switchboard.learn.RetryRecord;
import io.switchboard.limit.RateLimitRefusal;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the analytics ledger from the bus facts: each request's decision, outcome, cost per billable upstream call
 * (exactly once), fallbacks and upstream 429s once its usage record says how it ended; escalations, feedback,
 * retries, budget events and the gateway's own rate-limit refusals as they come. Rows go through a
 * {@link LedgerWriter}, so nothing here waits on the database; stopping writes whatever is still in memory. One
 * instance.
 */
public final class LedgerVerticle extends VerticleBase {

  /**
   * A finished request whose answering call was not recorded yet (its usage record came first) waits this long for
   * it, to put the baseline cost on it.
   */
  static final long LATE_MILLIS = 60_000;
  /** A request with no usage record by then never gets one: its calls are written as they are. */
  static final long ORPHAN_MILLIS = 10 * 60_000;
  static final long SWEEP_MILLIS = 5_000;
  static final long RETENTION_INTERVAL_MILLIS = 3_600_000;
  /**
   * Requests followed at once; past it the oldest is let go (its calls written as they are): most likely a request
   * refused after routing (a budget or key limit), which never gets a usage record.
   */
  static final int MAX_TRAILS = 200_000;
  private static final String RATE_LIMITED = "upstream_rate_limited";
  private static final String OK = "ok";
  private static final Logger LOG = LoggerFactory.getLogger(LedgerVerticle.class);

  private final Ledger ledger;
  private final GatewayConfig gateway;
  private final MeterRegistry registry;
  private final Map<String, Trail> trails = new LinkedHashMap<>();   // oldest first
  private final Rollup rollup = new Rollup();
  private LedgerWriter writer;
  private long flushTimer = -1;
  private long sweepTimer = -1;
  private long retentionTimer = -1;

  public LedgerVerticle(Ledger ledger, GatewayConfig gateway, MeterRegistry registry) {
    this.ledger = ledger;
    this.gateway = gateway;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    AnalyticsConfig config = ledger.config();
    writer = new LedgerWriter(ledger.store(), config.batchRows(), config.bufferRows(), registry);
    EventBus bus = vertx.eventBus();
    return Future.all(Arrays.asList(
        bus.<DecisionRouted>localConsumer(Addresses.DECISION_ROUTED, m -> routed(m.body())).completion(),
        bus.<AttemptRecord>localConsumer(Addresses.ATTEMPT_RECORDED, m -> attempted(m.body())).completion(),
        bus.<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> used(m.body())).completion(),
        bus.<EscalationRecord>localConsumer(Addresses.ESCALATION_RECORDED, m -> escalated(m.body())).completion(),
        bus.<FeedbackRecord>localConsumer(Addresses.FEEDBACK_RECORDED, m -> feedback(m.body())).completion(),
        bus.<RetryRecord>localConsumer(Addresses.RETRY_RECORDED, m -> retried(m.body())).completion(),
        bus.<BudgetEvent>localConsumer(Addresses.BUDGET_EVENT, m -> budget(m.body())).completion(),
        bus.<RateLimitRefusal>localConsumer(Addresses.RATE_LIMIT_REFUSED, m -> refused(m.body())).completion()))
      .onSuccess(all -> {
        flushTimer = vertx.setPeriodic(config.flushMillis(), tick -> flush());
        sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, tick -> sweep(System.currentTimeMillis()));
        if (!config.retention().isZero()) {
          retain();
          retentionTimer = vertx.setPeriodic(RETENTION_INTERVAL_MILLIS, tick -> retain());
        }
      });
  }

  /** Writes every row still in memory, the calls of unfinished requests included, before the store closes. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(retentionTimer);
    trails.values().forEach(trail -> {
      if (!trail.finished()) {
        trail.waiting.forEach(attempt -> writeAttempt(trail, attempt));
      }
    });
    trails.clear();
    rollup.drainInto(writer);
    return writer.drain();
  }

  private void flush() {
    rollup.drainInto(writer);
    writer.flush();
  }

  private Trail trail(String decisionId) {
    Trail trail = trails.get(decisionId);
    if (trail == null) {
      if (trails.size() >= MAX_TRAILS) {
        Iterator<Trail> oldest = trails.values().iterator();
        Trail evicted = oldest.next();
        oldest.remove();
        evicted.waiting.forEach(attempt -> writeAttempt(evicted, attempt));
      }
      trail = new Trail(decisionId, System.currentTimeMillis());
      trails.put(decisionId, trail);
    }
    return trail;
  }

  private void routed(DecisionRouted fact) {
    trail(fact.decisionId()).routed = fact;
  }

  private void attempted(AttemptRecord attempt) {
    Trail trail = trail(attempt.decisionId());
    if (trail.finished()) {
      writeAttempt(trail, attempt);
    } else {
      trail.waiting.add(attempt);
    }
  }

  private void used(UsageRecord usage) {
    Trail trail = trail(usage.decisionId());
    trail.usage = usage;
    trail.finishedMillis = System.currentTimeMillis();
    // a cache hit called nothing and cost nothing: its one cost row carries the baseline it saved
    boolean cacheHit = trail.waiting.isEmpty() && usage.outcome() == Outcome.OK && usage.costMicros() == 0
      && usage.usage().totalTokens() == 0;
    writeDecision(trail, usage, cacheHit);
    if (cacheHit) {
      writer.add(LedgerRows.COST, row(usage.decisionId(), 0L, usage.epochMillis(), Ledger.day(usage.epochMillis()),
        usage.model(), usage.provider(), keyLabel(trail), usage.taskType(), 0L, 0L, 0L, 0L,
        usage.baselineCostMicros(), 0L, usage.complexity(), "", OK, 1L));
      trails.remove(usage.decisionId());
      return;
    }
    trail.baselineOwed = usage.baselineCostMicros();
    List<AttemptRecord> attempts = new ArrayList<>(trail.waiting);
    trail.waiting.clear();
    attempts.sort(Comparator.comparingInt(AttemptRecord::attempt));
    // the request's baseline goes on the call whose answer it returned: the last good one of its model, else the
    // last one of its model (a cut stream); when that call is recorded later, the first of its model takes it
    AttemptRecord answering = null;
    for (AttemptRecord attempt : attempts) {
      if (attempt.model().equals(usage.model())
        && (answering == null || OK.equals(attempt.outcome()) || !OK.equals(answering.outcome()))) {
        answering = attempt;
      }
    }
    for (AttemptRecord attempt : attempts) {
      writeAttempt(trail, attempt, attempt == answering);
    }
    if (answering != null || trail.baselineOwed == 0) {
      // the usual case: every call was recorded before the usage record. Keeping the finished request for late
      // calls would hold an object graph per request for a minute, which a busy gateway's young collections copy
      // over and over; a call that still comes late is written as it is, like the call of an unfinished request
      trails.remove(usage.decisionId());
    }
  }

  private void writeDecision(Trail trail, UsageRecord usage, boolean cacheHit) {
    DecisionRouted routed = trail.routed;
    long started = routed != null ? routed.epochMillis() : usage.epochMillis() - usage.latencyMillis();
    writer.add(LedgerRows.DECISION, row(usage.decisionId(), started, Ledger.day(started),
      routed == null ? "" : routed.tenant(), keyLabel(trail), usage.policy(), usage.model(), usage.provider(),
      usage.taskType(), usage.complexity(), routed == null ? null : routed.confidence(),
      routed == null ? null : routed.pCheapOk(), usage.streaming() ? 1L : 0L,
      routed == null ? "" : routed.experiment(), routed == null ? "" : routed.arm(),
      routed == null || routed.prompt().isEmpty() ? null : routed.prompt(), usage.outcome().wireName(),
      cacheHit ? 1L : 0L));
    String day = Ledger.day(usage.epochMillis());
    writer.add(LedgerRows.OUTCOME, row(usage.decisionId(), usage.epochMillis(), day, "answer",
      usage.outcome().wireName(), null, usage.latencyMillis(), usage.ttfbMillis(), usage.overheadMicros(),
      (long) trail.escalations, usage.model(), usage.taskType()));
    if (!cacheHit) {
      rollup.request(day, usage.model(), usage.taskType(), usage.outcome() == Outcome.OK, usage.latencyMillis(),
        usage.costMicros());
    }
  }

  private void writeAttempt(Trail trail, AttemptRecord attempt) {
    UsageRecord usage = trail.usage;
    boolean owed = trail.baselineOwed > 0 && usage != null && attempt.model().equals(usage.model());
    writeAttempt(trail, attempt, owed);
  }

  /** Writes one call: its cost row when billable, its share of its model's attempts, a 429, fallbacks it closes. */
  private void writeAttempt(Trail trail, AttemptRecord attempt, boolean carriesBaseline) {
    if (trail.written.putIfAbsent(attempt.attempt(), attempt) != null) {
      return;
    }
    UsageRecord usage = trail.usage;
    String taskType = usage == null ? "" : usage.taskType();
    String day = Ledger.day(attempt.epochMillis());
    long baseline = 0;
    if (carriesBaseline && usage != null) {
      baseline = trail.baselineOwed;
      trail.baselineOwed = 0;
    }
    if (attempt.billable()) {
      ModelConfig model = gateway.models().get(attempt.model());
      long cost = model == null ? 0 : Pricing.cost(model.prices(), attempt.usage());
      writer.add(LedgerRows.COST, row(attempt.decisionId(), (long) attempt.attempt(), attempt.epochMillis(), day,
        attempt.model(), attempt.provider(), keyLabel(trail), taskType, attempt.usage().promptTokens(),
        attempt.usage().completionTokens(), attempt.usage().cachedTokens(), cost, baseline,
        attempt.usage().estimated() ? 1L : 0L, usage == null ? "" : usage.complexity(), attempt.keyLabel(),
        attempt.outcome(), 0L));
    }
    rollup.attempt(day, attempt.model(), taskType);
    if (RATE_LIMITED.equals(attempt.outcome())) {
      writer.add(LedgerRows.RATE_LIMIT, row(attempt.epochMillis(), day, "upstream", attempt.model(),
        attempt.provider(), null, attempt.decisionId()));
    }
    AttemptRecord before = trail.written.get(attempt.attempt() - 1);
    if (before != null) {
      fallback(trail, before, attempt);
    }
    AttemptRecord after = trail.written.get(attempt.attempt() + 1);
    if (after != null) {
      fallback(trail, attempt, after);
    }
  }

  /** A call that failed and was followed by another (the same model again, or the next one) is a fallback. */
  private void fallback(Trail trail, AttemptRecord failed, AttemptRecord next) {
    if (OK.equals(failed.outcome()) || !trail.fallbacksWritten.add(failed.attempt())) {
      return;
    }
    writer.add(LedgerRows.FALLBACK, row(failed.decisionId(), next.epochMillis(), Ledger.day(next.epochMillis()),
      (long) failed.attempt(), failed.model(), next.model(), failed.provider(), failed.outcome()));
  }

  private void escalated(EscalationRecord escalation) {
    Trail trail = trails.get(escalation.decisionId());
    if (trail != null) {
      trail.escalations++;
    }
    String day = Ledger.day(escalation.epochMillis());
    writer.add(LedgerRows.OUTCOME, row(escalation.decisionId(), escalation.epochMillis(), day, "escalation",
      escalation.reason(), null, null, null, null, 1L, escalation.fromModel(), escalation.taskType()));
    rollup.escalation(day, escalation.fromModel(), escalation.taskType());
  }

  private void feedback(FeedbackRecord feedback) {
    writer.add(LedgerRows.OUTCOME, row(feedback.decisionId(), feedback.epochMillis(),
      Ledger.day(feedback.epochMillis()), "feedback", feedback.replaced() ? "replaced" : "scored", feedback.score(),
      null, null, null, null, feedback.model(), feedback.taskType()));
  }

  private void retried(RetryRecord retry) {
    writer.add(LedgerRows.OUTCOME, row(retry.decisionId(), retry.epochMillis(), Ledger.day(retry.epochMillis()),
      "retry", "retried", null, null, null, null, null, retry.model(), retry.taskType()));
  }

  private void budget(BudgetEvent event) {
    writer.add(LedgerRows.BUDGET, row(event.epochMillis(), Ledger.day(event.epochMillis()), event.scope(),
      event.period(), event.event(), event.limitMicros(), event.spentMicros(),
      Double.isNaN(event.threshold()) ? null : event.threshold()));
  }

  private void refused(RateLimitRefusal refusal) {
    writer.add(LedgerRows.RATE_LIMIT, row(refusal.epochMillis(), Ledger.day(refusal.epochMillis()), "gateway",
      refusal.scope(), providerOf(refusal.scope()), refusal.retryAfterMillis(), null));
  }

  /** The provider a limited scope belongs to: a model's, or the one named in a provider key's scope. */
  private String providerOf(String scope) {
    if (scope.startsWith("model:")) {
      ModelConfig model = gateway.models().get(scope.substring("model:".length()));
      return model == null ? "" : model.provider();
    }
    if (scope.startsWith("key:")) {
      int colon = scope.indexOf(':', "key:".length());
      return colon < 0 ? "" : scope.substring("key:".length(), colon);
    }
    return "";
  }

  private static String keyLabel(Trail trail) {
    return trail.routed == null ? "" : trail.routed.keyLabel();
  }

  /** Forgets finished requests once their late calls had time to come, and writes those that never finished. */
  private void sweep(long now) {
    Iterator<Trail> each = trails.values().iterator();
    while (each.hasNext()) {
      Trail trail = each.next();
      if (trail.finished() ? now - trail.finishedMillis > LATE_MILLIS : now - trail.createdMillis > ORPHAN_MILLIS) {
        trail.waiting.forEach(attempt -> writeAttempt(trail, attempt));
        each.remove();
      }
    }
  }

  private void retain() {
    long cutoff = System.currentTimeMillis() - ledger.config().retention().toMillis();
    Retention.delete(ledger.store(), cutoff)
      .onSuccess(deleted -> {
        if (deleted > 0) {
          LOG.info("Analytics ledger retention deleted {} rows older than {}", deleted, Ledger.day(cutoff));
        }
      })
      .onFailure(failure -> LOG.warn("Analytics ledger retention failed: {}", failure.toString()));
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
