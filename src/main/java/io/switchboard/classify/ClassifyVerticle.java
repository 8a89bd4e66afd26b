package io.switchboard.classify;

import io.switchboard.bus.Addresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.ClassifierConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers {@link Addresses#CLASSIFY}. The heuristic classifier runs on the event loop for small prompts
 * (microseconds); large ones, whose token count alone takes milliseconds, go to the bounded
 * {@code switchboard-classify} worker pool so no event loop blocks. A model tier always runs on that pool; when it
 * fails or does not answer within {@code classifier.timeout_ms}, the heuristic answers instead.
 *
 * <p>Tier 2 (the encoder) runs on its own {@code switchboard-classify-encoder} pool, so that the tier-1 answers it
 * sheds to never queue behind encoder runs. A request is shed to tier 1 when {@code classifier.encoder.max_queue}
 * requests already wait for an encoder thread, when the encoder has not answered within
 * {@code classifier.encoder.budget_ms}, or when it fails; each is counted by reason.
 */
public final class ClassifyVerticle extends VerticleBase {

  /** Bodies above this size are classified off the event loop. */
  static final long INLINE_LIMIT_BYTES = 8 * 1024;
  /** Reply failure code when classification threw. */
  public static final int CLASSIFIER_FAILED = 500;
  static final String POOL = "switchboard-classify";
  static final String ENCODER_POOL = "switchboard-classify-encoder";

  private static final Logger LOG = LoggerFactory.getLogger(ClassifyVerticle.class);
  /** One line per process for each kind of fallback: the cause is the same every time. */
  private static final AtomicBoolean TIMEOUT_LOGGED = new AtomicBoolean();
  private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();
  private static final AtomicBoolean ENCODER_FAILURE_LOGGED = new AtomicBoolean();

  private final Classifier classifier;
  private final Classifier fallback = new HeuristicClassifier();
  private final ClassifierConfig config;
  private final boolean model;
  private final Counter timeouts;
  private final Counter failures;
  private final Optional<EncoderTier> encoder;
  private final Counter shedQueue;
  private final Counter shedBudget;
  private final Counter shedFailure;
  private WorkerExecutor workers;
  private WorkerExecutor encoderWorkers;

  /** @param registry where requests the heuristic answered in the model's place are counted, by reason */
  public ClassifyVerticle(Classifier classifier, ClassifierConfig config, MeterRegistry registry) {
    this(new ClassifierLoader.Tiers(classifier, Optional.empty()), config, registry);
  }

  /** @param registry also where requests tier 2 shed to tier 1 are counted, by reason */
  public ClassifyVerticle(ClassifierLoader.Tiers tiers, ClassifierConfig config, MeterRegistry registry) {
    this.classifier = tiers.first();
    this.encoder = tiers.encoder();
    this.config = config;
    this.model = !(classifier instanceof HeuristicClassifier);
    this.timeouts = fallbacks(registry, "timeout");
    this.failures = fallbacks(registry, "failure");
    this.shedQueue = shed(registry, "queue");
    this.shedBudget = shed(registry, "budget");
    this.shedFailure = shed(registry, "failure");
  }

  private static Counter shed(MeterRegistry registry, String reason) {
    return Counter.builder("switchboard.classifier.shed").tag("reason", reason)
      .description("Requests tier 1 classified in tier 2's place: its queue was full, its latency budget ran out,"
        + " or it failed")
      .register(registry);
  }

  private static Counter fallbacks(MeterRegistry registry, String reason) {
    return Counter.builder("switchboard.classifier.fallbacks").tag("reason", reason)
      .description("Requests the heuristic classified because the model tier timed out or failed")
      .register(registry);
  }

  @Override
  public Future<?> start() {
    workers = vertx.createSharedWorkerExecutor(POOL, config.workers());
    if (encoder.isPresent()) {
      encoderWorkers = vertx.createSharedWorkerExecutor(ENCODER_POOL, config.encoder().workers());
    }
    return vertx.eventBus().<ClassifyRequest>localConsumer(Addresses.CLASSIFY, this::onClassify).completion();
  }

  @Override
  public Future<?> stop() {
    return encoderWorkers == null ? workers.close() : Future.all(workers.close(), encoderWorkers.close());
  }

  private void onClassify(Message<ClassifyRequest> message) {
    ClassifyRequest request = message.body();
    Future<Classification> answer = encoder.map(tier -> byEncoder(tier, request)).orElseGet(() -> tierOne(request));
    answer.onSuccess(message::reply).onFailure(e -> fail(message, e));
  }

  private Future<Classification> tierOne(ClassifyRequest request) {
    return model ? byModel(request) : heuristic(request);
  }

  private Future<Classification> byEncoder(EncoderTier tier, ClassifyRequest request) {
    if (!tier.enqueue(config.encoder().maxQueue())) {
      shedQueue.increment();
      return tierOne(request);
    }
    Promise<Classification> answer = Promise.promise();
    // set on the event loop when the budget runs out, read by the worker: a request past its budget is not run
    AtomicBoolean shed = new AtomicBoolean();
    AtomicBoolean dequeued = new AtomicBoolean();
    long timer = vertx.setTimer(config.encoder().budgetMs(), id -> {
      if (!answer.future().isComplete() && shed.compareAndSet(false, true)) {
        shedBudget.increment();
        tierOne(request).onComplete(r -> settle(answer, r));
      }
    });
    encoderWorkers.executeBlocking(() -> {
      if (dequeued.compareAndSet(false, true)) {
        tier.dequeue();
      }
      return shed.get() ? null : tier.classifier().classify(PromptText.of(request));
    }, false).onComplete(result -> {
      vertx.cancelTimer(timer);
      if (dequeued.compareAndSet(false, true)) {
        tier.dequeue();
      }
      if (result.succeeded() && !shed.get()) {
        answer.tryComplete(result.result());
      } else if (result.failed() && shed.compareAndSet(false, true)) {
        shedFailure.increment();
        if (ENCODER_FAILURE_LOGGED.compareAndSet(false, true)) {
          LOG.warn("the encoder tier failed ({}); tier 1 answers such requests (logged once)",
            result.cause().toString());
        }
        tierOne(request).onComplete(r -> settle(answer, r));
      }
    });
    return answer.future();
  }

  private Future<Classification> byModel(ClassifyRequest request) {
    Promise<Classification> answer = Promise.promise();
    long timer = vertx.setTimer(config.timeoutMs(), id -> {
      if (!answer.future().isComplete()) {
        timeouts.increment();
        if (TIMEOUT_LOGGED.compareAndSet(false, true)) {
          LOG.warn("the {} classifier did not answer within classifier.timeout_ms ({} ms); the heuristic answers"
            + " such requests (logged once)", classifier.name(), config.timeoutMs());
        }
        heuristic(request).onComplete(r -> settle(answer, r));
      }
    });
    workers.executeBlocking(() -> classifier.classify(PromptText.of(request)), false).onComplete(result -> {
      vertx.cancelTimer(timer);
      if (result.succeeded()) {
        answer.tryComplete(result.result());
      } else if (!answer.future().isComplete()) {
        failures.increment();
        if (FAILURE_LOGGED.compareAndSet(false, true)) {
          LOG.warn("the {} classifier failed ({}); the heuristic answers such requests (logged once)",
            classifier.name(), result.cause().toString());
        }
        heuristic(request).onComplete(r -> settle(answer, r));
      }
    });
    return answer.future();
  }

  private Future<Classification> heuristic(ClassifyRequest request) {
    if (request.bodyBytes() <= INLINE_LIMIT_BYTES) {
      try {
        return Future.succeededFuture(fallback.classify(PromptText.of(request)));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return workers.executeBlocking(() -> fallback.classify(PromptText.of(request)), false);
  }

  /** First answer wins: the model's late reply after a timeout, or a fallback after the model, is dropped. */
  private static void settle(Promise<Classification> answer, AsyncResult<Classification> result) {
    if (result.succeeded()) {
      answer.tryComplete(result.result());
    } else {
      answer.tryFail(result.cause());
    }
  }

  private static void fail(Message<?> message, Throwable e) {
    LOG.warn("classification failed: {}", e.toString());
    message.fail(CLASSIFIER_FAILED, "classification failed");
  }
}
