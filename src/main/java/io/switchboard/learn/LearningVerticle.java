package io.switchboard.learn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.bus.Addresses;
import io.switchboard.classify.TaskType;
import io.switchboard.config.ExperimentConfig;
import io.switchboard.config.LearningConfig;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.UsageRecord;
import io.switchboard.experiment.ArmStats;
import io.switchboard.experiment.ExperimentStats;
import io.switchboard.route.EscalationRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Learns from what happens to requests. Consumes the facts of every request (its start, its upstream calls, its
 * escalations, its usage) and the feedback on it, keeps the recent decisions to join them, moves the
 * {@link SuccessBook} the routers read, keeps each experiment's statistics, and saves the estimates
 * ({@link EstimateStore}). One instance; its state lives on its own event loop.
 */
public final class LearningVerticle extends VerticleBase {

  /** Reply failure codes of {@link Addresses#FEEDBACK}. */
  public static final int UNKNOWN_DECISION = 404;
  public static final int DECISION_RUNNING = 409;
  public static final int UNAVAILABLE = 503;
  /** How often decisions are written to the shared store: feedback elsewhere can find them this soon. */
  static final long DECISION_FLUSH_MILLIS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(LearningVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final LearningConfig config;
  private final SuccessBook book;
  private final Optional<EstimateStore> store;
  private final Optional<SharedDecisions> shared;
  private final DecisionIndex decisions;
  private final RetryWatch retries;
  private final Map<String, ExperimentStats> experiments = new LinkedHashMap<>();
  private final Map<Signal, Counter> signals = new EnumMap<>(Signal.class);
  private long timer = -1;
  private long flushTimer = -1;
  private boolean syncing;

  /**
   * @param store  where the estimates outlive the process, if anywhere
   * @param shared where other instances find this one's decisions, for feedback sent to them
   */
  public LearningVerticle(LearningConfig config, SuccessBook book, Optional<EstimateStore> store,
                          Optional<SharedDecisions> shared, Map<String, ExperimentConfig> experiments,
                          MeterRegistry registry) {
    this.config = config;
    this.book = book;
    this.store = store;
    this.shared = shared;
    this.decisions = new DecisionIndex(config.maxDecisions(), config.decisionTtl().toMillis());
    this.retries = new RetryWatch(config.maxDecisions(), config.retryWindow().toMillis());
    experiments.forEach((name, experiment) -> this.experiments.put(name, new ExperimentStats(experiment, registry)));
    for (Signal signal : Signal.values()) {
      signals.put(signal, Counter.builder("switchboard.learning.signals")
        .description("Observations that moved a success estimate, by what they were")
        .tag("signal", signal.wireName())
        .register(registry));
    }
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    Future<Void> loaded = store.map(s -> s.load(vertx).onSuccess(read -> {
        if (!read.isEmpty()) {
          book.replaceAll(read);
        }
      }).<Void>mapEmpty())
      .orElse(Future.succeededFuture());
    return loaded.compose(done -> Future.all(
      bus.<DecisionStarted>localConsumer(Addresses.DECISION_STARTED, m -> started(m.body())).completion(),
      bus.<AttemptRecord>localConsumer(Addresses.ATTEMPT_RECORDED, m -> attempted(m.body())).completion(),
      bus.<EscalationRecord>localConsumer(Addresses.ESCALATION_RECORDED, m -> escalated(m.body())).completion(),
      bus.<UsageRecord>localConsumer(Addresses.USAGE_RECORDED, m -> used(m.body())).completion(),
      bus.<JsonObject>localConsumer(Addresses.FEEDBACK, this::feedback).completion(),
      bus.<Object>localConsumer(Addresses.EXPERIMENT_STATS, this::stats).completion()))
      .onSuccess(all -> {
        store.ifPresent(s -> timer = vertx.setPeriodic(s.intervalMillis(), tick -> sync(s)));
        shared.ifPresent(d -> flushTimer = vertx.setPeriodic(DECISION_FLUSH_MILLIS, tick -> d.flush()
          .onFailure(e -> LOG.debug("Decisions not shared: {}", e.toString()))));
      });
  }

  /** Saves the estimates unless the previous save is still running (a slow disk or Redis skips a turn). */
  private void sync(EstimateStore target) {
    if (syncing) {
      return;
    }
    syncing = true;
    target.sync(vertx, book)
      .onComplete(done -> syncing = false)
      .onFailure(e -> LOG.debug("Saving the success estimates failed: {}", e.toString()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(flushTimer);
    Future<Void> saved = store.map(s -> s.sync(vertx, book).otherwise(e -> {
      LOG.warn("Saving the success estimates at stop failed: {}", e.toString());
      return null;
    })).orElse(Future.succeededFuture());
    return Future.join(saved, shared.map(d -> d.flush().otherwise((Void) null)).orElse(Future.succeededFuture()));
  }

  private void started(DecisionStarted fact) {
    long now = book.now();
    Decision decision = decisions.getOrCreate(fact.decisionId(), now);
    decision.routed = true;
    decision.tenant = fact.tenant();
    decision.experiment = fact.experiment();
    decision.arm = fact.arm();
    if (fact.retryKey() != 0) {
      retries.seen(fact.retryKey(), decision.id, now).map(id -> decisions.get(id, now)).ifPresent(this::retried);
    }
  }

  /** The previous answer to the same prompt was not good enough for the caller, who asked again. */
  private void retried(Decision previous) {
    if (!previous.finished() || previous.outcome != Outcome.OK || previous.retried) {
      return;   // a request that failed is retried for a reason already counted; a retry is counted once
    }
    previous.retried = true;
    learn(previous.model, previous.task, Signal.RETRY, 0, config.retryWeight());
    recount(previous);
  }

  private void attempted(AttemptRecord attempt) {
    if (!BrokenAnswers.isBroken(attempt)) {
      return;
    }
    Decision decision = decisions.getOrCreate(attempt.decisionId(), book.now());
    if (decision.finished()) {
      learn(attempt.model(), decision.task, Signal.UPSTREAM_FAILURE, 0, config.failureWeight());
    } else {
      decision.broke(attempt.model());   // the task type comes with the usage record
    }
  }

  private void escalated(EscalationRecord escalation) {
    Decision decision = decisions.getOrCreate(escalation.decisionId(), book.now());
    TaskType.fromWireName(escalation.taskType()).ifPresent(task ->
      learn(escalation.fromModel(), task, Signal.ESCALATION, 0, config.escalationWeight()));
    decision.escalated = true;
    recount(decision);
  }

  private void used(UsageRecord record) {
    long now = book.now();
    decisions.sweep(now);
    Optional<TaskType> task = TaskType.fromWireName(record.taskType());
    if (task.isEmpty()) {
      return;
    }
    Decision decision = decisions.getOrCreate(record.decisionId(), now);
    decision.model = record.model();
    decision.task = task.get();
    decision.outcome = record.outcome();
    decision.costMicros = record.costMicros();
    decision.latencyMillis = record.latencyMillis();
    decision.takeBroken().forEach(model -> learn(model, decision.task, Signal.UPSTREAM_FAILURE, 0,
      config.failureWeight()));
    // only answers routed now teach anything: a cache hit repeats an answer that was already counted
    if (decision.routed && record.outcome() == Outcome.OK) {
      learn(decision.model, decision.task, Signal.ANSWERED, config.answeredWeight(), 0);
    }
    if (decision.routed) {
      shared.ifPresent(d -> d.remember(decision));
    }
    arm(decision).ifPresent(arm -> {
      arm.finished(decision.costMicros, decision.latencyMillis, decision.succeeded(), decision.escalated);
      decision.counted = true;
      decision.countedSuccess = decision.succeeded();
      decision.countedEscalated = decision.escalated;
    });
  }

  private void feedback(Message<JsonObject> message) {
    JsonObject body = message.body();
    String id = body.getString("decision_id");
    Decision decision = decisions.get(id, book.now());
    if (decision != null || shared.isEmpty()) {
      feedback(message, decision);
      return;
    }
    // another instance may have served it
    shared.get().lookup(id).onComplete(found -> {
      if (found.failed()) {
        message.fail(UNAVAILABLE, "shared decisions unreadable");
        return;
      }
      feedback(message, found.result().map(known -> {
        Decision remote = decisions.getOrCreate(id, book.now());
        if (!remote.finished()) {
          remote.model = known.model();
          remote.task = known.task();
          remote.tenant = known.tenant();
          remote.outcome = Outcome.OK;
        }
        return remote;
      }).orElse(null));
    });
  }

  private void feedback(Message<JsonObject> message, Decision decision) {
    JsonObject body = message.body();
    long now = book.now();
    if (decision == null || !decision.tenant.isEmpty() && !decision.tenant.equals(body.getString("tenant"))) {
      message.fail(UNKNOWN_DECISION, "unknown");   // another tenant's decision is as unknown as a made-up one
      return;
    }
    if (!decision.finished()) {
      message.fail(DECISION_RUNNING, "running");
      return;
    }
    double score = body.getDouble("score");
    boolean replaced = !Double.isNaN(decision.feedbackScore);
    if (replaced && config.enabled()) {
      // evidence decays multiplicatively, so the earlier score's share today is its weight times the decay since
      double left = book.decay(now - decision.feedbackMillis);
      observe(decision.model, decision.task, -decision.feedbackSuccess * left, -decision.feedbackFailure * left);
    }
    double previous = decision.feedbackScore;
    decision.feedbackScore = score;
    decision.feedbackMillis = now;
    decision.feedbackSuccess = config.feedbackWeight() * score;
    decision.feedbackFailure = config.feedbackWeight() * (1 - score);
    learn(decision.model, decision.task, Signal.FEEDBACK, decision.feedbackSuccess, decision.feedbackFailure);
    arm(decision).ifPresent(arm -> arm.feedback(score, previous));
    recount(decision);
    vertx.eventBus().publish(Addresses.FEEDBACK_RECORDED, new FeedbackRecord(decision.id, decision.model,
      decision.task.wireName(), score, replaced, System.currentTimeMillis()), LOCAL);
    message.reply(new JsonObject()
      .put("decision_id", decision.id)
      .put("model", decision.model)
      .put("task_type", decision.task.wireName())
      .put("score", score)
      .put("replaced", replaced)
      .put("learned", config.enabled())
      .put("success_estimate", book.success(decision.model, decision.task)));
  }

  private void stats(Message<Object> message) {
    message.reply(new JsonObject().put("experiments",
      new JsonArray(experiments.values().stream().map(ExperimentStats::toJson).toList())));
  }

  private void learn(String model, TaskType task, Signal signal, double success, double failure) {
    if (config.enabled() && success + failure > 0) {
      observe(model, task, success, failure);
      signals.get(signal).increment();
    }
  }

  private void observe(String model, TaskType task, double success, double failure) {
    book.observe(model, task, success, failure);
    store.ifPresent(s -> s.observed(new Cell(model, task), success, failure, book.now()));
  }

  /** Corrects the experiment's counts after a finished decision's success or escalation changed. */
  private void recount(Decision decision) {
    if (!decision.counted) {
      return;
    }
    arm(decision).ifPresent(arm -> {
      boolean success = decision.succeeded();
      arm.changed((success ? 1 : 0) - (decision.countedSuccess ? 1 : 0),
        (decision.escalated ? 1 : 0) - (decision.countedEscalated ? 1 : 0));
      decision.countedSuccess = success;
      decision.countedEscalated = decision.escalated;
    });
  }

  private Optional<ArmStats> arm(Decision decision) {
    ExperimentStats stats = decision.arm.isEmpty() ? null : experiments.get(decision.experiment);
    return stats == null ? Optional.empty() : stats.arm(decision.arm);
  }
}
