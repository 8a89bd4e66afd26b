package io.switchboard.experiment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** When a winner is declared, and when not. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExperimentStatsTest {

  private static ExperimentStats stats(String decideBy, long minSamples) {
    JsonObject config = ExperimentAssignmentTest.config("key", "exclude");
    config.getJsonObject("experiments").getJsonObject("cheap-vs-premium").put("decide_by", decideBy)
      .put("min_samples", minSamples);
    return new ExperimentStats(GatewayConfig.from(config, TestConfig.ENV).experiments().get("cheap-vs-premium"),
      new SimpleMeterRegistry());
  }

  /** {@code n} requests, the first {@code successes} of them successful, costing {@code cost} ± 1 micro-dollar. */
  private static void fill(ExperimentStats stats, String arm, int n, int successes, long cost) {
    for (int i = 0; i < n; i++) {
      stats.arm(arm).orElseThrow().finished(cost + (i % 2 == 0 ? 1 : -1), 100, i < successes, false);
    }
  }

  @Test
  void a_significantly_higher_success_rate_wins() {
    ExperimentStats stats = stats("success", 100);
    fill(stats, "control", 100, 30, 10);
    fill(stats, "premium", 100, 45, 50);

    JsonObject json = stats.toJson();

    JsonObject success = json.getJsonArray("comparisons").getJsonObject(0).getJsonObject("success");
    assertThat(success.getDouble("z")).isCloseTo(2.1908902300, within(1e-9));
    assertThat(success.getDouble("p_value")).isCloseTo(0.0284597369, within(1e-7));
    assertThat(success.getBoolean("significant")).isTrue();
    assertThat(json.getString("winner")).isEqualTo("premium");
  }

  @Test
  void a_difference_that_is_not_significant_declares_nobody() {
    ExperimentStats stats = stats("success", 100);
    fill(stats, "control", 100, 40, 10);
    fill(stats, "premium", 100, 45, 50);

    JsonObject json = stats.toJson();

    assertThat(json.getValue("winner")).isNull();
    assertThat(json.getString("verdict")).startsWith("no significant difference");
  }

  @Test
  void no_winner_before_every_arm_has_its_samples() {
    ExperimentStats stats = stats("success", 200);
    fill(stats, "control", 300, 10, 10);
    fill(stats, "premium", 150, 150, 50);

    assertThat(stats.toJson().getValue("winner")).isNull();
    assertThat(stats.toJson().getString("verdict")).isEqualTo(
      "collecting: arm premium has 150 of the 200 requests each arm needs");
  }

  @Test
  void by_cost_the_cheaper_arm_wins_unless_it_succeeds_significantly_less() {
    ExperimentStats cheaperAndAsGood = stats("cost", 50);
    fill(cheaperAndAsGood, "control", 100, 40, 50);
    fill(cheaperAndAsGood, "premium", 100, 38, 10);
    assertThat(cheaperAndAsGood.toJson().getString("winner")).isEqualTo("premium");
    assertThat(cheaperAndAsGood.toJson().getJsonArray("comparisons").getJsonObject(0).getJsonObject("cost")
      .getDouble("difference_usd")).isCloseTo(-0.00004, within(1e-12));

    ExperimentStats cheaperButWorse = stats("cost", 50);
    fill(cheaperButWorse, "control", 100, 60, 50);
    fill(cheaperButWorse, "premium", 100, 20, 10);
    assertThat(cheaperButWorse.toJson().getValue("winner")).isNull();
  }
}
