package io.switchboard.classify;

import io.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link Addresses#CLASSIFY}. Small prompts are classified on the event loop (microseconds); large
 * ones, whose token count alone takes milliseconds, go to a bounded worker pool so no event loop blocks.
 */
public final class ClassifyVerticle extends VerticleBase {

  /** Bodies above this size are classified off the event loop. */
  static final long INLINE_LIMIT_BYTES = 8 * 1024;
  /** Reply failure code when classification threw. */
  public static final int CLASSIFIER_FAILED = 500;

  private static final Logger LOG = LoggerFactory.getLogger(ClassifyVerticle.class);

  private final Classifier classifier;
  private WorkerExecutor workers;

  public ClassifyVerticle(Classifier classifier) {
    this.classifier = classifier;
  }

  @Override
  public Future<?> start() {
    workers = vertx.createSharedWorkerExecutor("switchboard-classify", 2);
    return vertx.eventBus().<ClassifyRequest>localConsumer(Addresses.CLASSIFY, this::onClassify).completion();
  }

  @Override
  public Future<?> stop() {
    return workers.close();
  }

  private void onClassify(Message<ClassifyRequest> message) {
    ClassifyRequest request = message.body();
    if (request.bodyBytes() <= INLINE_LIMIT_BYTES) {
      try {
        message.reply(run(request));
      } catch (RuntimeException e) {
        fail(message, e);
      }
      return;
    }
    workers.executeBlocking(() -> run(request), false)
      .onSuccess(message::reply)
      .onFailure(e -> fail(message, e));
  }

  private Classification run(ClassifyRequest request) {
    return classifier.classify(PromptText.of(request));
  }

  private static void fail(Message<?> message, Throwable e) {
    LOG.warn("classification failed: {}", e.toString());
    message.fail(CLASSIFIER_FAILED, "classification failed");
  }
}
