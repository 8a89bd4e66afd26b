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

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers {@link Addresses#CLASSIFY}. The heuristic classifier runs on the event loop for small prompts
 * (microseconds); large ones, whose token count alone takes milliseconds, go to the bounded
 * {@code switchboard-classify} worker pool so no event loop blocks. A model tier always runs on that pool; when it
 * fails or does not answer within {@code classifier.timeout_ms}, the heuristic answers instead.
 */
public final class ClassifyVerticle extends VerticleBase {

  /** Bodies above this size are classified off the event loop. */
  static final long INLINE_LIMIT_BYTES = 8 * 1024;
  /** Reply failure code when classification threw. */
  public static final int CLASSIFIER_FAILED = 500;
  static final String POOL = "switchboard-classify";

  private static final Logger LOG = LoggerFactory.getLogger(ClassifyVerticle.class);
  /** One line per process for each kind of fallback: the cause is the same every time. */
  private static final AtomicBoolean TIMEOUT_LOGGED = new AtomicBoolean();
  private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();

  private final Classifier classifier;
  private final Classifier fallback = new HeuristicClassifier();
  private final ClassifierConfig config;
  private final boolean model;
  private final Counter timeouts;
  private final Counter failures;
  private WorkerExecutor workers;

  /** @param registry where requests the heuristic answered in the model's place are counted, by reason */
  public ClassifyVerticle(Classifier classifier, ClassifierConfig config, MeterRegistry registry) {
    this.classifier = classifier;
    this.config = config;
    this.model = !(classifier instanceof HeuristicClassifier);
    this.timeouts = fallbacks(registry, "timeout");
    this.failures = fallbacks(registry, "failure");
  }

  private static Counter fallbacks(MeterRegistry registry, String reason) {
    return Counter.builder("switchboard.classifier.fallbacks").tag("reason", reason)
      .description("Requests the heuristic classified because the model tier timed out or failed")
      .register(registry);
  }

  @Override
  public Future<?> start() {
    workers = vertx.createSharedWorkerExecutor(POOL, config.workers());
    return vertx.eventBus().<ClassifyRequest>localConsumer(Addresses.CLASSIFY, this::onClassify).completion();
  }

  @Override
  public Future<?> stop() {
    return workers.close();
  }

  private void onClassify(Message<ClassifyRequest> message) {
    ClassifyRequest request = message.body();
    Future<Classification> answer = model ? byModel(request) : heuristic(request);
    answer.onSuccess(message::reply).onFailure(e -> fail(message, e));
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
