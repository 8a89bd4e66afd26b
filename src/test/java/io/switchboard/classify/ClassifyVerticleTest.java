package io.switchboard.classify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.bus.Addresses;
import io.switchboard.bus.Codecs;
import io.switchboard.config.ClassifierConfig;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classify verticle with a model tier: inference on the named worker pool with every event loop free, and the
 * heuristic answering when the model is too slow or fails.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClassifyVerticleTest {

  /** An event-loop task longer than this is reported by Vert.x's blocked-thread checker. */
  private static final long MAX_EVENT_LOOP_MILLIS = 50;

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ListAppender<ILoggingEvent> logs;
  private Logger checker;

  @BeforeEach
  void start() {
    logs = new ListAppender<>();
    logs.start();
    checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.addAppender(logs);
    vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(5)
      .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    Codecs.register(vertx.eventBus());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    checker.detachAppender(logs);
  }

  private static ClassifierConfig config(long timeoutMs) {
    return new ClassifierConfig(ClassifierConfig.STATIC, "models/static/task-classifier.onnx", "cpu", 2, 0,
      timeoutMs);
  }

  private double fallbacks(String reason) {
    return registry.get("switchboard.classifier.fallbacks").tag("reason", reason).counter().count();
  }

  private List<Classification> burst(int n) {
    List<Future<Message<Classification>>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", "Write a unit test for the parser, case " + i));
      replies.add(vertx.eventBus().request(Addresses.CLASSIFY, new ClassifyRequest(messages, false, 0, 100)));
    }
    return Future.all(replies).await().<Message<Classification>>list().stream().map(Message::body).toList();
  }

  @Test
  void a_burst_of_1000_runs_on_the_worker_pool_and_never_blocks_an_event_loop() {
    Classifier model = ClassifierLoader.load(config(50));
    assertThat(model.name()).isEqualTo("static");
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    // every 100th call takes longer than an event loop may: run there, it would wake the checker
    Classifier slowed = new Classifier() {
      @Override
      public String name() {
        return model.name();
      }

      @Override
      public Classification classify(PromptText prompt) {
        threads.add(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
        if (calls.incrementAndGet() % 100 == 0) {
          try {
            Thread.sleep(MAX_EVENT_LOOP_MILLIS + 20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return model.classify(prompt);
      }
    };
    vertx.deployVerticle(new ClassifyVerticle(slowed, config(60_000), registry)).await();
    burst(20);
    logs.list.clear();
    threads.clear();
    calls.set(0);

    List<Classification> answers = burst(1_000);

    assertThat(answers).hasSize(1_000).allSatisfy(c -> assertThat(c.tier()).isEqualTo("static"));
    assertThat(threads).containsExactly("switchboard-classify");
    assertThat(logs.list).as("blocked-thread warnings").isEmpty();
    assertThat(fallbacks("timeout") + fallbacks("failure")).isZero();
  }

  @Test
  void the_heuristic_answers_when_the_model_is_slower_than_the_timeout() {
    Classifier stuck = new Classifier() {
      @Override
      public String name() {
        return "static";
      }

      @Override
      public Classification classify(PromptText prompt) {
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("answered too late");
      }
    };
    vertx.deployVerticle(new ClassifyVerticle(stuck, config(20), registry)).await();

    assertThat(burst(3)).allSatisfy(c -> assertThat(c.tier()).isEqualTo("heuristic"));
    assertThat(fallbacks("timeout")).isEqualTo(3.0);
  }

  @Test
  void the_heuristic_answers_when_the_model_fails() {
    Classifier broken = new Classifier() {
      @Override
      public String name() {
        return "static";
      }

      @Override
      public Classification classify(PromptText prompt) {
        throw new IllegalStateException("inference failed");
      }
    };
    vertx.deployVerticle(new ClassifyVerticle(broken, config(5_000), registry)).await();

    assertThat(burst(3)).allSatisfy(c -> assertThat(c.tier()).isEqualTo("heuristic"));
    assertThat(fallbacks("failure")).isEqualTo(3.0);
  }

  @Test
  void a_missing_or_corrupt_model_file_leaves_the_heuristic_with_one_log_line() throws Exception {
    ListAppender<ILoggingEvent> loaderLogs = new ListAppender<>();
    loaderLogs.start();
    Logger loader = (Logger) LoggerFactory.getLogger(ClassifierLoader.class);
    loader.addAppender(loaderLogs);
    Path corrupt = Files.createTempFile("classifier", ".onnx");
    try {
      Files.write(corrupt, "not an onnx model".getBytes(StandardCharsets.UTF_8));
      Classifier missing = ClassifierLoader.load(new ClassifierConfig(ClassifierConfig.STATIC,
        "models/static/no-such-model.onnx", "cpu", 1, 10, 50));
      Classifier broken = ClassifierLoader.load(new ClassifierConfig(ClassifierConfig.STATIC, corrupt.toString(),
        "cpu", 1, 10, 50));

      assertThat(missing).isInstanceOf(HeuristicClassifier.class);
      assertThat(broken).isInstanceOf(HeuristicClassifier.class);
      assertThat(loaderLogs.list).hasSize(2).allSatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("heuristic classifier answers instead");
        assertThat(e.getThrowableProxy()).as("one line, no stack trace").isNull();
      });
      assertThat(loaderLogs.list.get(0).getFormattedMessage()).contains("no-such-model.onnx");
    } finally {
      loader.detachAppender(loaderLogs);
      Files.deleteIfExists(corrupt);
    }
  }

  @Test
  void device_cuda_without_a_cuda_provider_runs_on_the_cpu_with_one_log_line() {
    ListAppender<ILoggingEvent> modelLogs = new ListAppender<>();
    modelLogs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(StaticModel.class);
    logger.addAppender(modelLogs);
    try {
      Classifier classifier = ClassifierLoader.load(new ClassifierConfig(ClassifierConfig.STATIC,
        "models/static/task-classifier.onnx", "cuda", 1, 10, 50));

      assertThat(classifier.name()).isEqualTo("static");
      assertThat(modelLogs.list).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("runs on the CPU");
      });
    } finally {
      logger.detachAppender(modelLogs);
    }
  }
}
