package io.switchboard.experiment;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An experiment splitting "auto" by user between the test policy (control, everything to fake-cheap) and a premium
 * policy, with traffic through the fake provider, and what {@code GET /admin/experiments} makes of it.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExperimentGatewayTest {

  private Vertx vertx;
  private TestClient client;
  private TestClient admin;
  private GatewayUnderTest gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    FakeProvider upstream = new FakeProvider(vertx).start();
    JsonObject config = ExperimentAssignmentTest.config("user", "exclude");
    config.getJsonObject("providers").getJsonObject("fake").put("base_url", upstream.baseUrl());
    JsonObject experiment = config.getJsonObject("experiments").getJsonObject("cheap-vs-premium");
    experiment.put("min_samples", 5).put("decide_by", "cost");
    gateway = GatewayUnderTest.start(vertx, config);
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    admin.close();
    vertx.close().await();
  }

  private TestClient.Result chat(String user) {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?")
      .put("user", user));
    assertThat(result.status()).isEqualTo(200);
    return result;
  }

  private JsonObject experiment() {
    TestClient.Result result = admin.get("/admin/experiments");
    assertThat(result.status()).isEqualTo(200);
    return result.json().getJsonArray("experiments").getJsonObject(0);
  }

  private static Map<String, JsonObject> arms(JsonObject experiment) {
    return experiment.getJsonArray("arms").stream().map(JsonObject.class::cast)
      .collect(Collectors.toMap(arm -> arm.getString("name"), arm -> arm));
  }

  @Test
  void a_user_keeps_the_arm_and_the_arms_policy_routes_the_request() {
    for (int i = 0; i < 10; i++) {
      String policy = chat("u" + i).headers().get("x-switchboard-policy");
      for (int again = 0; again < 3; again++) {
        TestClient.Result repeat = chat("u" + i);
        assertThat(repeat.headers().get("x-switchboard-policy")).isEqualTo(policy);
        assertThat(repeat.headers().get("x-switchboard-model"))
          .isEqualTo(policy.equals("premium") ? "fake-premium" : "fake-cheap");
      }
    }
    JsonObject route = client.post("/v1/route", Chats.chat("auto", "hi").put("user", "u1")).json();
    assertThat(route.getJsonArray("reasons").stream().map(String.class::cast).toList()).last().asString()
      .startsWith("experiment cheap-vs-premium: arm ");
  }

  @Test
  void requests_without_a_user_are_not_in_the_experiment() {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?"));

    assertThat(result.headers().get("x-switchboard-policy")).isEqualTo("auto");
    Poll.until(() -> assertThat(arms(experiment()).values())
      .allSatisfy(arm -> assertThat(arm.getLong("requests")).isZero()));
  }

  @Test
  void the_admin_view_compares_the_arms_and_declares_the_cheaper_one_once_significant() {
    Map<String, Integer> sent = new HashMap<>();
    for (int i = 0; sent.getOrDefault("premium", 0) < 6 || sent.getOrDefault("control", 0) < 6; i++) {
      String policy = chat("user-" + i).headers().get("x-switchboard-policy");
      sent.merge(policy.equals("premium") ? "premium" : "control", 1, Integer::sum);
    }
    int total = sent.values().stream().mapToInt(Integer::intValue).sum();
    Poll.until(() -> assertThat(arms(experiment()).values().stream().mapToLong(a -> a.getLong("requests")).sum())
      .isEqualTo((long) total));

    JsonObject experiment = experiment();
    Map<String, JsonObject> arms = arms(experiment);
    assertThat(experiment.getString("name")).isEqualTo("cheap-vs-premium");
    assertThat(experiment.getString("control")).isEqualTo("control");
    assertThat(arms.get("control").getLong("requests")).isEqualTo(sent.get("control").longValue());
    assertThat(arms.get("premium").getLong("requests")).isEqualTo(sent.get("premium").longValue());
    assertThat(arms.get("premium").getDouble("success_rate")).isEqualTo(1.0);
    assertThat(arms.get("premium").getDouble("escalation_rate")).isEqualTo(0.0);
    // the fake answers 12 tokens in, 5 out: fake-cheap costs 0.10/0.40 $ per M, fake-premium 2/8
    assertThat(arms.get("control").getJsonObject("cost_usd").getDouble("mean")).isCloseTo(0.000003, within(1e-9));
    assertThat(arms.get("premium").getJsonObject("cost_usd").getDouble("mean")).isCloseTo(0.000064, within(1e-9));
    assertThat(arms.get("premium").getJsonObject("latency_ms").getDouble("mean")).isNotNegative();
    JsonArray comparisons = experiment.getJsonArray("comparisons");
    assertThat(comparisons).hasSize(1);
    JsonObject comparison = comparisons.getJsonObject(0);
    assertThat(comparison.getString("arm")).isEqualTo("premium");
    assertThat(comparison.getJsonObject("success").getDouble("p_value")).isEqualTo(1.0);
    assertThat(comparison.getJsonObject("cost").getDouble("p_value")).isZero();
    assertThat(comparison.getJsonObject("cost").getBoolean("significant")).isTrue();
    assertThat(experiment.getString("winner")).isEqualTo("control");
    assertThat(gateway.metric("switchboard.experiment.requests", Map.of("experiment", "cheap-vs-premium",
      "arm", "premium"))).isEqualTo(sent.get("premium").doubleValue());
  }

  @Test
  void negative_feedback_lowers_the_arms_success_rate_and_a_winner_waits_for_enough_samples() {
    TestClient.Result answered = chat("only-user");
    String arm = answered.headers().get("x-switchboard-policy").equals("premium") ? "premium" : "control";
    Poll.until(() -> assertThat(arms(experiment()).get(arm).getLong("requests")).isEqualTo(1));

    TestClient.Result feedback = client.post("/v1/feedback", new JsonObject()
      .put("decision_id", answered.headers().get("x-switchboard-decision-id")).put("score", 0.2));

    assertThat(feedback.status()).isEqualTo(200);
    JsonObject experiment = experiment();
    JsonObject stats = arms(experiment).get(arm);
    assertThat(stats.getLong("successes")).isZero();
    assertThat(stats.getDouble("success_rate")).isEqualTo(0.0);
    assertThat(stats.getJsonObject("feedback").getLong("count")).isEqualTo(1);
    assertThat(stats.getJsonObject("feedback").getDouble("mean_score")).isCloseTo(0.2, within(1e-9));
    assertThat(experiment.getValue("winner")).isNull();
    assertThat(experiment.getString("verdict")).startsWith("collecting");
  }
}
