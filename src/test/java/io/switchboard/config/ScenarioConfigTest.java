package io.switchboard.config;

import io.switchboard.classify.Scenario;
import io.switchboard.classify.TaskType;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scenarios, sessions and per-policy context keys: defaults, values and the errors that name the key. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScenarioConfigTest {

  private static JsonObject policies(JsonObject config) {
    return config.getJsonObject("routing").getJsonObject("policies");
  }

  private static GatewayConfig load(Consumer<JsonObject> change) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    change.accept(config);
    return GatewayConfig.from(config, TestConfig.ENV);
  }

  private static void assertRejected(Consumer<JsonObject> change, String key) {
    assertThatThrownBy(() -> load(change)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ": ");
  }

  @Test
  void defaults_apply_without_the_sections() {
    GatewayConfig config = load(c -> { });
    assertThat(config.scenarios()).isEqualTo(ScenariosConfig.DEFAULTS);
    assertThat(config.sessions()).isEqualTo(SessionsConfig.DEFAULTS);
    assertThat(config.routing().policies().get("auto").context()).isEmpty();
  }

  @Test
  void scenario_rules_and_context_are_read() {
    GatewayConfig config = load(c -> policies(c).put("cc", new JsonObject()
      .put("default", new JsonObject().put("primary", "fake-cheap"))
      .put("scenarios", new JsonObject().put("background", new JsonObject().put("primary", "fake-tiny")))
      .put("context", new JsonObject().put("max_prompt_tokens", 1000)
        .put("max_tokens_by_task", new JsonObject().put("background", 64).put("debugging", 900)))));
    PolicyConfig cc = config.routing().policies().get("cc");
    assertThat(cc.rule(Scenario.BACKGROUND)).hasValueSatisfying(r -> assertThat(r.primary()).isEqualTo("fake-tiny"));
    assertThat(cc.rule(Scenario.MAIN)).isEmpty();
    ContextConfig context = cc.context().orElseThrow();
    assertThat(context.keepLastTurns()).isEqualTo(4);
    assertThat(context.cap(Scenario.BACKGROUND, TaskType.DEBUGGING)).isEqualTo(64);
    assertThat(context.cap(Scenario.MAIN, TaskType.DEBUGGING)).isEqualTo(900);
    assertThat(context.cap(Scenario.MAIN, TaskType.CONVERSATION)).isZero();
  }

  @Test
  void mistakes_name_their_key() {
    assertRejected(c -> c.put("sessions", new JsonObject().put("ttl", 5)), "sessions.ttl");
    assertRejected(c -> c.put("scenarios", new JsonObject().put("long_context_tokens", 0)),
      "scenarios.long_context_tokens");
    assertRejected(c -> policies(c).getJsonObject("auto").put("scenarios", new JsonObject()
      .put("chitchat", new JsonObject().put("primary", "fake-cheap"))), "routing.policies.auto.scenarios.chitchat");
    assertRejected(c -> policies(c).getJsonObject("auto").put("scenarios", new JsonObject()
      .put("main", new JsonObject().put("primary", "nope"))), "routing.policies.auto.scenarios.main.primary");
    assertRejected(c -> policies(c).getJsonObject("auto").put("context", new JsonObject()
      .put("max_tokens_by_task", new JsonObject().put("everything", 10))),
      "routing.policies.auto.context.max_tokens_by_task.everything");
    assertRejected(c -> policies(c).put("scored", new JsonObject().put("type", "scoring")
      .put("scenarios", new JsonObject())), "routing.policies.scored.scenarios");
  }
}
