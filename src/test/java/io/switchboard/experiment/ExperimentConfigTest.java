package io.switchboard.experiment;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ExperimentConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code experiments} and {@code learning} sections are validated at start, naming the key. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExperimentConfigTest {

  private static GatewayConfig parse(Consumer<JsonObject> change) {
    JsonObject config = ExperimentAssignmentTest.config("key", "exclude");
    change.accept(config);
    return GatewayConfig.from(config, TestConfig.ENV);
  }

  private static JsonObject experiment(JsonObject config) {
    return config.getJsonObject("experiments").getJsonObject("cheap-vs-premium");
  }

  @Test
  void a_valid_experiment_keeps_its_arms_in_order_with_the_defaults() {
    ExperimentConfig experiment = parse(c -> { }).experiments().get("cheap-vs-premium");

    assertThat(experiment.arms()).extracting(a -> a.name()).containsExactly("control", "premium");
    assertThat(experiment.alpha()).isEqualTo(0.05);
    assertThat(experiment.minSamples()).isEqualTo(100);
    assertThat(experiment.decideBy()).isEqualTo(ExperimentConfig.DecideBy.SUCCESS);
  }

  @Test
  void an_arm_must_name_a_policy() {
    assertThatThrownBy(() -> parse(c -> experiment(c).getJsonObject("arms").getJsonObject("premium")
      .put("policy", "fake-premium")))
      .isInstanceOf(ConfigException.class)
      .hasMessage("experiments.cheap-vs-premium.arms.premium.policy: 'fake-premium' is not a policy under "
        + "routing.policies");
  }

  @Test
  void an_experiment_needs_two_arms_a_known_model_and_known_choices() {
    assertThatThrownBy(() -> parse(c -> experiment(c).getJsonObject("arms").remove("premium")))
      .hasMessageContaining("experiments.cheap-vs-premium.arms: an experiment needs at least two arms");
    assertThatThrownBy(() -> parse(c -> experiment(c).put("model", "nothing-like-it")))
      .hasMessageContaining("experiments.cheap-vs-premium.model: 'nothing-like-it' is not a policy, model or alias");
    assertThatThrownBy(() -> parse(c -> experiment(c).put("assign_by", "ip")))
      .hasMessageContaining("experiments.cheap-vs-premium.assign_by: must be one of key, user, conversation");
    assertThatThrownBy(() -> parse(c -> experiment(c).put("alpha", 0.9)))
      .hasMessageContaining("experiments.cheap-vs-premium.alpha");
    assertThatThrownBy(() -> parse(c -> experiment(c).put("arm", "x")))
      .hasMessageContaining("experiments.cheap-vs-premium.arm: unknown key");
  }

  @Test
  void one_name_is_split_by_one_experiment_at_a_time() {
    assertThatThrownBy(() -> parse(c -> c.getJsonObject("experiments").put("again", experiment(c).copy())))
      .hasMessageContaining("experiments.again.model: experiment 'cheap-vs-premium' already splits 'auto'");
    assertThat(parse(c -> c.getJsonObject("experiments").put("again", experiment(c).copy().put("enabled", false)))
      .experiments()).containsKeys("cheap-vs-premium", "again");
  }

  @Test
  void learning_keys_are_checked_too() {
    assertThatThrownBy(() -> parse(c -> c.put("learning", new JsonObject().put("half_life", 3))))
      .hasMessageContaining("learning.half_life: unknown key");
    assertThatThrownBy(() -> parse(c -> c.put("learning", new JsonObject().put("prior", new JsonObject()
      .put("mean", 1.5)))))
      .hasMessageContaining("learning.prior.mean");
    assertThatThrownBy(() -> parse(c -> c.put("learning", new JsonObject().put("weights", new JsonObject()
      .put("thumbs", 1)))))
      .hasMessageContaining("learning.weights.thumbs: unknown key");
  }
}
