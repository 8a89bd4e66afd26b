package io.switchboard.route;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.switchboard.route.PolicyFixture.SECURITY_PROMPT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each policy kind, the request's constraints, economy mode and the decision cache through the real gateway and
 * the fake provider: the model that answered is the one the upstream was asked for and the one
 * {@code x-switchboard-model} names.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RoutingPoliciesTest {

  private static final String SMALL_TALK = "hi, how are you?";

  private Vertx vertx;
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    upstream.stop();
    vertx.close().await();
  }

  private void startGateway(Consumer<JsonObject> change) {
    JsonObject config = PolicyFixture.config(upstream.baseUrl());
    change.accept(config);
    gateway = GatewayUnderTest.start(vertx, config);
    client = gateway.client(vertx);
  }

  private TestClient.Result chat(JsonObject body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("content-type", "application/json");
    return client.send(HttpMethod.POST, "/v1/chat/completions", body.toBuffer(), all);
  }

  private TestClient.Result chat(JsonObject body) {
    return chat(body, Map.of());
  }

  private JsonObject route(JsonObject body) {
    TestClient.Result result = client.post("/v1/route", body);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result.json();
  }

  private void assertServedBy(TestClient.Result result, String model) {
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo(model);
    assertThat(upstream.lastAttempt().model()).isEqualTo(model);
  }

  @Test
  void each_policy_kind_routes_and_the_chosen_model_answers() {
    startGateway(config -> { });
    record Case(String policy, String prompt, String model) {
    }
    List<Case> cases = List.of(
      new Case("auto:tree", SMALL_TALK, "fake-premium"),
      new Case("auto:scored", SMALL_TALK, "fake-cheap"),
      new Case("auto:scored", SECURITY_PROMPT, "fake-premium"),
      new Case("auto:threshold", SMALL_TALK, "fake-cheap"),
      new Case("auto:threshold", SECURITY_PROMPT, "fake-premium"),
      new Case("auto:cascade", SMALL_TALK, "fake-cheap"),
      new Case("auto:cascade", SECURITY_PROMPT, "fake-premium"));

    for (Case c : cases) {
      TestClient.Result result = chat(Chats.chat(c.policy(), c.prompt()));

      assertServedBy(result, c.model());
      assertThat(result.headers().get("x-switchboard-policy")).as(c.toString()).isEqualTo(c.policy());
      assertThat(result.headers().get("x-switchboard-reasons")).as(c.toString())
        .contains("'" + c.policy() + "'").matches("[\\x20-\\x7e]+").doesNotContain("how are you", "SQL injection");
    }
  }

  @Test
  void the_dry_run_shows_the_policy_kind_the_factors_and_the_escalation() {
    startGateway(config -> { });

    JsonObject scored = route(Chats.chat("auto:scored", SMALL_TALK));
    JsonObject cascade = route(Chats.chat("auto:cascade", SMALL_TALK));
    JsonObject pinned = route(Chats.chat("fake-mid", SMALL_TALK));

    assertThat(scored.getString("policy_kind")).isEqualTo("scoring");
    JsonObject best = scored.getJsonArray("alternatives").getJsonObject(0);
    assertThat(best.getString("model")).isEqualTo("fake-cheap");
    assertThat(best.getJsonObject("factors").fieldNames())
      .containsExactly("capability", "cost", "quality", "latency", "history");
    assertThat(cascade.getString("policy_kind")).isEqualTo("cascade");
    assertThat(cascade.getJsonArray("escalation")).containsExactly("fake-mid", "fake-premium");
    assertThat(pinned.getString("policy_kind")).isEmpty();
  }

  @Test
  void constraints_in_the_body_or_in_headers_steer_every_policy() {
    startGateway(config -> { });

    assertServedBy(chat(Chats.chat("auto:scored", SMALL_TALK)
      .put("switchboard", new JsonObject().put("min_quality", 90))), "fake-premium");
    assertThat(upstream.lastAttempt().body().containsKey("switchboard")).as("never sent upstream").isFalse();
    TestClient.Result fast = chat(Chats.chat("auto:threshold", SECURITY_PROMPT),
      Map.of("x-switchboard-max-latency-ms", "2500"));
    assertServedBy(fast, "fake-cheap");
    assertThat(fast.headers().get("x-switchboard-reasons")).contains("'fake-premium' breaks max_latency_ms 2500");
    assertServedBy(chat(Chats.chat("auto:cascade", SMALL_TALK), Map.of("x-switchboard-max-cost-usd", "0.01",
      "x-switchboard-min-quality", "81")), "fake-premium");
  }

  @Test
  void the_body_wins_over_a_header_for_the_same_constraint() {
    startGateway(config -> { });

    assertServedBy(chat(Chats.chat("auto:scored", SMALL_TALK)
      .put("switchboard", new JsonObject().put("min_quality", 0)), Map.of("x-switchboard-min-quality", "90")),
      "fake-cheap");
  }

  @Test
  void an_unsatisfiable_constraint_is_a_400_that_names_it_and_calls_no_upstream() {
    startGateway(config -> { });

    TestClient.Result policy = chat(Chats.chat("auto:scored", SMALL_TALK)
      .put("switchboard", new JsonObject().put("max_cost_usd", 0.000001)));
    TestClient.Result named = chat(Chats.chat("fake-cheap", SMALL_TALK), Map.of("x-switchboard-min-quality", "99"));
    TestClient.Result dryRun = client.post("/v1/route", Chats.chat("auto:tree", SMALL_TALK)
      .put("switchboard", new JsonObject().put("max_latency_ms", 100)));

    assertThat(policy.status()).isEqualTo(400);
    assertThat(policy.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(policy.error().getString("code")).isEqualTo("constraint_not_satisfiable");
    assertThat(policy.error().getString("param")).isEqualTo("switchboard");
    assertThat(policy.error().getString("message")).contains("max_cost_usd 0.000001");
    assertThat(named.status()).isEqualTo(400);
    assertThat(named.error().getString("message"))
      .isEqualTo("The model 'fake-cheap' does not satisfy the request's min_quality 99 (quality 80)");
    assertThat(dryRun.status()).isEqualTo(400);
    assertThat(dryRun.error().getString("message")).contains("max_latency_ms 100");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_malformed_constraint_is_refused_with_its_name() {
    startGateway(config -> { });

    TestClient.Result body = chat(Chats.chat("auto", SMALL_TALK)
      .put("switchboard", new JsonObject().put("min_quality", 101)));
    TestClient.Result header = chat(Chats.chat("auto", SMALL_TALK), Map.of("x-switchboard-max-cost-usd", "cheap"));
    TestClient.Result unknown = chat(Chats.chat("auto", SMALL_TALK)
      .put("switchboard", new JsonObject().put("max_cost", 1)));

    assertThat(body.status()).isEqualTo(400);
    assertThat(body.error().getString("param")).isEqualTo("switchboard.min_quality");
    assertThat(header.status()).isEqualTo(400);
    assertThat(header.error().getString("param")).isEqualTo("x-switchboard-max-cost-usd");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("param")).isEqualTo("switchboard.max_cost");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void past_the_budget_threshold_economy_mode_answers_one_tier_cheaper_except_no_compromise_rules() {
    // input free, output priced so that 5 completion tokens of fake-premium cost $0.001: two such calls spend half
    // of the $0.004 global budget, which is the economy threshold
    startGateway(config -> {
      JsonObject models = config.getJsonObject("models");
      models.getJsonObject("fake-premium").put("prices", new JsonObject().put("input", 0).put("output", 200));
      models.getJsonObject("fake-mid").put("prices", new JsonObject().put("input", 0).put("output", 100));
      models.getJsonObject("fake-cheap").put("prices", new JsonObject().put("input", 0).put("output", 10));
      config.put("budgets", new JsonObject().put("global", new JsonObject().put("daily_usd", 0.004)));
      config.getJsonObject("routing").put("economy", new JsonObject().put("utilization_threshold", 0.5));
    });
    assertThat(route(Chats.chat("auto:tree", SMALL_TALK)).getString("model")).isEqualTo("fake-premium");

    for (int i = 0; i < 2; i++) {
      assertServedBy(chat(Chats.chat("fake-premium", "Hello there").put("max_tokens", 5)), "fake-premium");
    }
    Poll.until(() -> assertThat(route(Chats.chat("auto:tree", SMALL_TALK)).getString("model")).isEqualTo("fake-mid"));

    TestClient.Result cheaper = chat(Chats.chat("auto:tree", SMALL_TALK).put("max_tokens", 5));
    assertServedBy(cheaper, "fake-mid");
    assertThat(cheaper.headers().get("x-switchboard-reasons"))
      .contains("economy mode (global budget 50% used): one tier cheaper, 'fake-mid' instead of 'fake-premium'");
    JsonObject security = route(Chats.chat("auto:tree", SECURITY_PROMPT));
    assertThat(security.getString("model")).isEqualTo("fake-premium");
    assertThat(security.getJsonArray("reasons")).anySatisfy(r -> assertThat((String) r)
      .contains("economy mode").contains("security is no_compromise, so 'fake-premium' is kept"));
    assertThat(gateway.metric("switchboard.routing.economy", Map.of("policy", "auto:tree"))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void an_identical_request_reuses_the_decision_until_something_that_matters_changes() {
    startGateway(config -> config.getJsonObject("routing")
      .put("decision_cache", new JsonObject().put("ttl_seconds", 60).put("max_entries", 100)));

    JsonObject first = route(Chats.chat("auto:scored", SMALL_TALK));
    JsonObject again = route(Chats.chat("auto:scored", "  hi,   how are you?\n"));
    JsonObject constrained = route(Chats.chat("auto:scored", SMALL_TALK)
      .put("switchboard", new JsonObject().put("min_quality", 90)));
    JsonObject otherPolicy = route(Chats.chat("auto:cascade", SMALL_TALK));
    TestClient.Result answered = chat(Chats.chat("auto:scored", SMALL_TALK));

    assertThat(reasons(first)).noneSatisfy(r -> assertThat(r).contains("decision reused"));
    assertThat(reasons(again)).last().asString().startsWith("decision reused");
    assertThat(again.getString("model")).isEqualTo(first.getString("model"));
    assertThat(again.getJsonObject("classification")).isEqualTo(first.getJsonObject("classification"));
    assertThat(again.getString("decision_id")).isNotEqualTo(first.getString("decision_id"));
    assertThat(reasons(constrained)).noneSatisfy(r -> assertThat(r).contains("decision reused"));
    assertThat(constrained.getString("model")).isEqualTo("fake-premium");
    assertThat(reasons(otherPolicy)).noneSatisfy(r -> assertThat(r).contains("decision reused"));
    assertServedBy(answered, "fake-cheap");
    assertThat(answered.headers().get("x-switchboard-reasons")).contains("decision reused");
  }

  @Test
  void without_a_decision_cache_every_request_is_decided_afresh() {
    startGateway(config -> { });

    route(Chats.chat("auto:scored", SMALL_TALK));
    JsonObject again = route(Chats.chat("auto:scored", SMALL_TALK));

    assertThat(reasons(again)).noneSatisfy(r -> assertThat(r).contains("decision reused"));
  }

  private static List<String> reasons(JsonObject decision) {
    JsonArray reasons = decision.getJsonArray("reasons");
    return reasons.stream().map(String.class::cast).toList();
  }
}
