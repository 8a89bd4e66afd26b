package io.switchboard.experiment;

import io.switchboard.auth.Caller;
import io.switchboard.config.GatewayConfig;
import io.switchboard.limit.Limits;
import io.switchboard.openai.ChatRequest;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Consistent, weighted assignment of requests to experiment arms. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExperimentAssignmentTest {

  /** The test gateway's configuration with a second policy and an experiment splitting "auto" 70/30 by key. */
  static JsonObject config(String assignBy, String unkeyed) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:1/v1");
    config.getJsonObject("routing").getJsonObject("policies")
      .put("premium", new JsonObject().put("default", new JsonObject().put("primary", "fake-premium")));
    config.put("experiments", new JsonObject().put("cheap-vs-premium", new JsonObject()
      .put("model", "auto")
      .put("assign_by", assignBy)
      .put("unkeyed", unkeyed)
      .put("arms", new JsonObject()
        .put("control", new JsonObject().put("policy", "auto").put("weight", 70))
        .put("premium", new JsonObject().put("policy", "premium").put("weight", 30)))));
    return config;
  }

  private static Experiments experiments(String assignBy, String unkeyed) {
    return Experiments.of(GatewayConfig.from(config(assignBy, unkeyed), TestConfig.ENV).experiments());
  }

  private static ChatRequest request(String model) {
    JsonObject body = Chats.chat(model, "hello");
    return ChatRequest.from(body, body.encode().length());
  }

  private static Caller key(String id) {
    return new Caller(id, "", "", Set.of(), Limits.NONE, 0, 0);
  }

  @Test
  void the_same_key_lands_in_the_same_arm_every_time_and_in_every_instance() {
    Experiments one = experiments("key", "exclude");
    Experiments other = experiments("key", "exclude");
    for (int i = 0; i < 200; i++) {
      Caller caller = key("vk_" + i);
      String arm = one.assign(request("auto"), caller).orElseThrow().arm();
      for (int again = 0; again < 5; again++) {
        assertThat(one.assign(request("auto"), caller).orElseThrow().arm()).isEqualTo(arm);
        assertThat(other.assign(request("auto"), caller).orElseThrow().arm()).isEqualTo(arm);
      }
    }
  }

  @Test
  void many_keys_split_roughly_by_the_weights() {
    Experiments experiments = experiments("key", "exclude");
    Map<String, Integer> counts = new HashMap<>();
    int keys = 20_000;
    for (int i = 0; i < keys; i++) {
      counts.merge(experiments.assign(request("auto"), key("vk_" + i)).orElseThrow().arm(), 1, Integer::sum);
    }
    // binomial standard deviation at n = 20000, p = 0.3 is about 65 keys: 1 % is more than 3 of them
    assertThat(counts.get("premium") / (double) keys).isBetween(0.29, 0.31);
    assertThat(counts.get("control") / (double) keys).isBetween(0.69, 0.71);
  }

  @Test
  void the_arm_names_its_policy_and_the_reason_names_the_experiment() {
    Assignment assignment = experiments("key", "exclude").assign(request("auto"), key("vk_1")).orElseThrow();

    assertThat(assignment.experiment()).isEqualTo("cheap-vs-premium");
    assertThat(assignment.policy()).isEqualTo(assignment.arm().equals("control") ? "auto" : "premium");
    assertThat(assignment.reason()).startsWith("experiment cheap-vs-premium: arm " + assignment.arm());
  }

  @Test
  void other_model_names_are_not_intercepted() {
    assertThat(experiments("key", "exclude").assign(request("fake-cheap"), key("vk_1"))).isEmpty();
  }

  @Test
  void without_the_key_a_request_is_left_out_or_given_a_random_arm_as_configured() {
    assertThat(experiments("key", "exclude").assign(request("auto"), Caller.ANONYMOUS)).isEmpty();

    Experiments random = experiments("key", "random");
    Set<String> arms = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      random.assign(request("auto"), Caller.ANONYMOUS).map(Assignment::arm).ifPresent(arms::add);
    }
    assertThat(arms).containsExactlyInAnyOrder("control", "premium");
  }

  @Test
  void by_user_the_keys_user_or_else_the_requests_user_field_decides() {
    Experiments experiments = experiments("user", "exclude");
    JsonObject body = Chats.chat("auto", "hello").put("user", "alice");
    ChatRequest fromAlice = ChatRequest.from(body, body.encode().length());
    Optional<Assignment> byField = experiments.assign(fromAlice, Caller.ANONYMOUS);
    Optional<Assignment> byKeyUser = experiments.assign(request("auto"),
      new Caller("vk_x", "alice", "", Set.of(), Limits.NONE, 0, 0));

    assertThat(byField).isPresent();
    assertThat(byKeyUser.map(Assignment::arm)).isEqualTo(byField.map(Assignment::arm));
    assertThat(experiments.assign(request("auto"), Caller.ANONYMOUS)).isEmpty();
  }

  @Test
  void by_conversation_every_request_of_a_conversation_shares_its_arm() {
    Experiments experiments = experiments("conversation", "exclude");
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String conversation = "c" + (i % 30);
      String arm = experiments.assign(request("auto"), Caller.ANONYMOUS.withConversation(conversation))
        .orElseThrow().arm();
      assertThat(seen.computeIfAbsent(conversation, c -> arm)).isEqualTo(arm);
    }
  }
}
