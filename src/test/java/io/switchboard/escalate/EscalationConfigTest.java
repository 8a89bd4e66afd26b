package io.switchboard.escalate;

import io.switchboard.classify.TaskType;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.EscalationConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.RoutingRule;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EscalationConfigTest {

  private static GatewayConfig load(Consumer<JsonObject> change) {
    JsonObject config = EscalationRig.config("http://127.0.0.1:9/v1");
    change.accept(config);
    return GatewayConfig.from(config, TestConfig.ENV);
  }

  private static JsonObject defaultRule(JsonObject config) {
    return config.getJsonObject("routing").getJsonObject("policies").getJsonObject("auto").getJsonObject("default");
  }

  private static void assertRejected(Consumer<JsonObject> change, String key) {
    assertThatThrownBy(() -> load(change)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ": ");
  }

  @Test
  void rules_carry_their_escalation_order_and_review_step() {
    GatewayConfig config = load(c -> { });

    assertThat(config.routing().policies().get("auto:ladder").defaultRule().escalateTo())
      .containsExactly("fake-mid", "fake-premium");
    assertThat(config.routing().policies().get("auto:review").defaultRule().review())
      .contains(new RoutingRule.Review("fake-premium", EscalationRig.REVIEW_PROMPT));
    assertThat(config.escalation().minChars(TaskType.CONVERSATION)).isEqualTo(10);
  }

  @Test
  void models_a_rule_names_must_exist() {
    assertRejected(c -> defaultRule(c).put("escalate_to", new JsonArray().add("fake-premium").add("nope")),
      "routing.policies.auto.default.escalate_to[1]");
    assertRejected(c -> defaultRule(c).put("escalate_to", new JsonArray()).put("pipeline",
      new JsonObject().put("reviewer", "ghost")), "routing.policies.auto.default.pipeline.reviewer");
  }

  @Test
  void a_rule_escalates_or_reviews_not_both() {
    assertRejected(c -> defaultRule(c).put("pipeline", new JsonObject().put("reviewer", "fake-premium")),
      "routing.policies.auto.default.pipeline");
  }

  @Test
  void the_escalation_section_is_checked() {
    assertRejected(c -> c.getJsonObject("escalation").put("streams", "sometimes"), "escalation.streams");
    assertRejected(c -> c.getJsonObject("escalation").put("typo", 1), "escalation.typo");
    assertRejected(c -> c.getJsonObject("escalation").getJsonObject("min_chars").put("poetry", 3),
      "escalation.min_chars.poetry");
  }

  @Test
  void without_an_escalation_section_the_defaults_apply() {
    GatewayConfig config = load(c -> c.remove("escalation"));

    assertThat(config.escalation()).isEqualTo(EscalationConfig.DEFAULTS);
  }

  @Test
  void the_shipped_configuration_escalates_debugging_under_auto_cost() {
    GatewayConfig config = GatewayConfig.from(ConfigLoader.readFile(Path.of("conf/switchboard.yaml")), Map.of());

    assertThat(config.routing().policies().get("auto:cost").rule(TaskType.DEBUGGING).escalateTo())
      .containsExactly("gpt-4.1");
    assertThat(config.escalation().bufferedStreams()).isFalse();
    assertThat(config.escalation().refusalPhrases()).contains("I cannot");
  }
}
