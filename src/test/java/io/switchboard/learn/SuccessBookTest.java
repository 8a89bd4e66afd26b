package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.LearningConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The decayed Beta posterior behind each success estimate, on a clock the test turns. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SuccessBookTest {

  private static final long HOUR = 3_600_000;
  private final AtomicLong clock = new AtomicLong(1_000_000);

  private SuccessBook book(JsonObject learning) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:1/v1").put("learning", learning);
    LearningConfig parsed = GatewayConfig.from(config, TestConfig.ENV).learning();
    return new SuccessBook(parsed, clock::get);
  }

  @Test
  void without_evidence_every_model_stands_at_the_prior_mean() {
    SuccessBook book = book(new JsonObject().put("prior", new JsonObject().put("mean", 0.7)));

    assertThat(book.success("fake-cheap", TaskType.DEBUGGING)).isEqualTo(0.7);
  }

  @Test
  void the_estimate_is_the_posterior_mean_and_the_prior_weight_damps_the_first_observations() {
    SuccessBook light = book(new JsonObject().put("prior", new JsonObject().put("weight", 1)));
    SuccessBook heavy = book(new JsonObject().put("prior", new JsonObject().put("weight", 20)));

    light.observe("m", TaskType.CODE_GENERATION, 0, 1);
    heavy.observe("m", TaskType.CODE_GENERATION, 0, 1);

    assertThat(light.success("m", TaskType.CODE_GENERATION)).isCloseTo(0.5 / 2, within(1e-12));
    assertThat(heavy.success("m", TaskType.CODE_GENERATION)).isCloseTo(10.0 / 21, within(1e-12));
    assertThat(light.success("m", TaskType.TESTING)).as("another task type").isEqualTo(0.5);
  }

  @Test
  void evidence_halves_every_half_life_so_the_estimate_drifts_back_to_the_prior() {
    SuccessBook book = book(new JsonObject().put("half_life_hours", 10));
    book.observe("m", TaskType.FACTUAL, 8, 0);
    assertThat(book.success("m", TaskType.FACTUAL)).isCloseTo(9.0 / 10, within(1e-12));

    clock.addAndGet(10 * HOUR);
    assertThat(book.posterior("m", TaskType.FACTUAL).successes()).isCloseTo(4, within(1e-9));
    assertThat(book.success("m", TaskType.FACTUAL)).isCloseTo(5.0 / 6, within(1e-9));

    clock.addAndGet(10 * HOUR);
    book.observe("m", TaskType.FACTUAL, 0, 2);
    // 2 successes left after two half-lives, then 2 failures
    assertThat(book.success("m", TaskType.FACTUAL)).isCloseTo(3.0 / 6, within(1e-9));
    assertThat(book.decay(10 * HOUR)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void taking_back_an_observation_never_leaves_negative_evidence() {
    SuccessBook book = book(new JsonObject());
    book.observe("m", TaskType.ANALYSIS, 1, 0);
    book.observe("m", TaskType.ANALYSIS, -3, 0);

    assertThat(book.posterior("m", TaskType.ANALYSIS).successes()).isZero();
    assertThat(book.success("m", TaskType.ANALYSIS)).isEqualTo(0.5);
  }
}
