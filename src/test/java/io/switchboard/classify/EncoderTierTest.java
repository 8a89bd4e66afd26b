package io.switchboard.classify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.bus.Addresses;
import io.switchboard.bus.Codecs;
import io.switchboard.config.ClassifierConfig;
import io.switchboard.config.EncoderConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2 in the classify verticle: the encoder on its own pool, and tier 1 answering in its place when its queue is
 * full, its latency budget runs out or it fails, each counted by reason. Stand-in encoders that sleep make the load.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EncoderTierTest {

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ListAppender<ILoggingEvent> checkerLogs;
  private Logger checker;

  @BeforeEach
  void start() {
    checkerLogs = new ListAppender<>();
    checkerLogs.start();
    checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.addAppender(checkerLogs);
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(50)
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(5)
      .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    Codecs.register(vertx.eventBus());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    checker.detachAppender(checkerLogs);
  }

  private static ClassifierConfig config(int workers, int maxQueue, long budgetMs) {
    return new ClassifierConfig(ClassifierConfig.ENCODER, "models/static/task-classifier.onnx", "cpu", 2, 0, 5_000,
      new EncoderConfig(SentenceEncoder.RESOURCE, "models/encoder/heads.onnx", workers, maxQueue, budgetMs));
  }

  private double shed(String reason) {
    return registry.get("switchboard.classifier.shed").tag("reason", reason).counter().count();
  }

  /** An encoder stand-in that records its thread, then runs {@code body} (sleeping or failing). */
  private static Classifier encoder(Set<String> threads, Consumer<PromptText> body) {
    return new Classifier() {
      @Override
      public String name() {
        return "encoder";
      }

      @Override
      public Classification classify(PromptText prompt) {
        threads.add(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
        body.accept(prompt);
        Classification h = new HeuristicClassifier().classify(prompt);
        return new Classification(h.taskType(), h.complexity(), h.involvesCode(), h.needsReasoning(), h.pCheapOk(),
          h.confidence(), h.taskProbabilities(), h.complexityProbabilities(), h.features(), "encoder");
      }
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int sent;

  /** {@code n} distinct prompts at once, so that none is answered from a cache. */
  private List<Classification> burst(int n) {
    List<Future<Message<Classification>>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", "Review this pull request for race conditions, case " + sent++));
      replies.add(vertx.eventBus().request(Addresses.CLASSIFY, new ClassifyRequest(messages, false, 0, 100)));
    }
    return Future.all(replies).await().<Message<Classification>>list().stream().map(Message::body).toList();
  }

  private static long answeredBy(List<Classification> answers, String tier) {
    return answers.stream().filter(c -> c.tier().equals(tier)).count();
  }

  @Test
  void past_the_queue_bound_a_burst_is_answered_by_tier_1_and_counted() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    EncoderTier tier = new EncoderTier(encoder(threads, p -> sleep(100)));
    Classifier first = ClassifierLoader.load(config(1, 2, 60_000));
    vertx.deployVerticle(new ClassifyVerticle(new ClassifierLoader.Tiers(first, Optional.of(tier)),
      config(1, 2, 60_000), registry)).await();

    List<Classification> answers = burst(40);

    assertThat(answers).hasSize(40);
    // one runs, two wait: of 40 sent at once, most find the queue full
    assertThat(answeredBy(answers, "static")).isGreaterThan(20);
    assertThat(answeredBy(answers, "encoder")).isGreaterThanOrEqualTo(1);
    assertThat(answeredBy(answers, "static") + answeredBy(answers, "encoder")).isEqualTo(40);
    assertThat(shed("queue")).isEqualTo((double) answeredBy(answers, "static"));
    assertThat(shed("budget") + shed("failure")).isZero();
    assertThat(threads).containsExactly(ClassifyVerticle.ENCODER_POOL);
    assertThat(tier.waiting()).as("every place in the queue given back").isZero();
  }

  @Test
  void past_the_latency_budget_tier_1_answers_and_the_late_encoder_runs_are_skipped() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> ran = new ArrayList<>();
    EncoderTier tier = new EncoderTier(encoder(threads, p -> {
      synchronized (ran) {
        ran.add(p.lastUser());
      }
      sleep(500);
    }));
    ClassifierConfig config = config(1, 100, 20);
    vertx.deployVerticle(new ClassifyVerticle(new ClassifierLoader.Tiers(ClassifierLoader.load(config),
      Optional.of(tier)), config, registry)).await();

    List<Classification> answers = burst(5);

    assertThat(answers).allSatisfy(c -> assertThat(c.tier()).isEqualTo("static"));
    assertThat(shed("budget")).isEqualTo(5.0);
    assertThat(shed("queue") + shed("failure")).isZero();
    sleep(700);
    synchronized (ran) {
      // the first may have started before its budget ran out; the four queued behind it had not
      assertThat(ran).as("requests whose budget ran out while they waited never reach the encoder")
        .hasSizeLessThanOrEqualTo(1);
    }
    assertThat(tier.waiting()).isZero();
  }

  @Test
  void when_the_encoder_fails_tier_1_answers_and_the_failure_is_counted() {
    EncoderTier tier = new EncoderTier(encoder(ConcurrentHashMap.newKeySet(), p -> {
      throw new IllegalStateException("inference failed");
    }));
    ClassifierConfig config = config(1, 100, 5_000);
    vertx.deployVerticle(new ClassifyVerticle(new ClassifierLoader.Tiers(ClassifierLoader.load(config),
      Optional.of(tier)), config, registry)).await();

    assertThat(burst(3)).allSatisfy(c -> assertThat(c.tier()).isEqualTo("static"));
    assertThat(shed("failure")).isEqualTo(3.0);
  }

  @Test
  void under_its_bounds_the_real_encoder_answers_every_request_and_no_event_loop_blocks() {
    ClassifierConfig config = config(2, 1_000, 30_000);
    vertx.deployVerticle(new ClassifyVerticle(ClassifierLoader.tiers(config), config, registry)).await();
    // the first messages load classes on the event loop: warm up before listening to the checker
    burst(5);
    checkerLogs.list.clear();

    List<Classification> answers = burst(20);

    assertThat(answers).allSatisfy(c -> assertThat(c.tier()).isEqualTo("encoder"));
    assertThat(shed("queue") + shed("budget") + shed("failure")).isZero();
    assertThat(checkerLogs.list).as("blocked-thread warnings").isEmpty();
  }

  @Test
  void device_cuda_without_a_cuda_provider_runs_the_encoder_on_the_cpu_with_one_log_line() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(SentenceEncoder.class);
    logger.addAppender(logs);
    try {
      ClassifierConfig cuda = new ClassifierConfig(ClassifierConfig.ENCODER, "models/static/task-classifier.onnx",
        "cuda", 1, 10, 50, new EncoderConfig(SentenceEncoder.RESOURCE, "models/encoder/heads.onnx", 1, 4, 100));

      Optional<EncoderTier> tier = ClassifierLoader.encoder(cuda);

      assertThat(tier).isPresent();
      assertThat(tier.get().classifier().name()).isEqualTo("encoder");
      assertThat(logs.list).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("the encoder runs on the CPU");
        assertThat(e.getThrowableProxy()).as("one line, no stack trace").isNull();
      });
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void missing_heads_leave_tier_1_answering_with_one_log_line() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger loader = (Logger) LoggerFactory.getLogger(ClassifierLoader.class);
    loader.addAppender(logs);
    try {
      ClassifierConfig config = new ClassifierConfig(ClassifierConfig.ENCODER, "models/static/task-classifier.onnx",
        "cpu", 1, 10, 50, new EncoderConfig(SentenceEncoder.RESOURCE, "models/encoder/no-such-heads.onnx", 1, 4,
        100));

      ClassifierLoader.Tiers tiers = ClassifierLoader.tiers(config);

      assertThat(tiers.encoder()).isEmpty();
      assertThat(tiers.first().name()).isEqualTo("static");
      assertThat(logs.list).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("tier 1 answers every request").contains("no-such-heads.onnx");
        assertThat(e.getThrowableProxy()).isNull();
      });
    } finally {
      loader.detachAppender(logs);
    }
  }
}
