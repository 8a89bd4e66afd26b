package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.RequestFeatures;
import io.switchboard.classify.TaskType;
import io.switchboard.config.ConfigException;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

import static io.switchboard.route.PolicyFixture.classified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** Every policy kind, the request's constraints and economy mode, decided offline (no Vert.x). */
@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RouterTest {

  private static final Classification SMALL_TALK = classified(TaskType.CONVERSATION, Complexity.SIMPLE, 0.9, 0.9, 100);
  private static final Classification DEBUGGING = classified(TaskType.DEBUGGING, Complexity.MEDIUM, 0.65, 0.9, 100);
  private static final Classification SECURITY = classified(TaskType.SECURITY, Complexity.CRITICAL, 0.1, 0.5, 100);

  private final List<String> shifted = new ArrayList<>();

  private static GatewayConfig config(Consumer<JsonObject> change) {
    JsonObject json = PolicyFixture.config("http://127.0.0.1:9/v1");
    json.getJsonObject("routing").put("economy", new JsonObject().put("utilization_threshold", 0.8));
    change.accept(json);
    return GatewayConfig.from(json, TestConfig.ENV);
  }

  private Router router(Consumer<JsonObject> change, SuccessEstimates history) {
    return new Router(config(change), history, shifted::add);
  }

  private RouteDecision decide(String policy, Classification c) {
    return router(json -> { }, SuccessEstimates.NONE).decide(new RouteRequest(policy, c, 0));
  }

  private RouteDecision decide(String policy, Classification c, Constraints constraints, double utilization) {
    return router(json -> { }, SuccessEstimates.NONE)
      .decide(new RouteRequest(policy, c, 0, constraints, utilization));
  }

  private static Constraints minQuality(int quality) {
    return new Constraints(OptionalLong.empty(), OptionalInt.of(quality), OptionalLong.empty());
  }

  private static Constraints maxCostMicros(long micros) {
    return new Constraints(OptionalLong.of(micros), OptionalInt.empty(), OptionalLong.empty());
  }

  private static Constraints maxLatency(long millis) {
    return new Constraints(OptionalLong.empty(), OptionalInt.empty(), OptionalLong.of(millis));
  }

  private static Candidate candidate(RouteDecision decision, String model) {
    return decision.ranked().stream().filter(c -> c.model().equals(model)).findFirst().orElseThrow();
  }

  // tree

  @Test
  void a_tree_sends_a_task_to_its_rules_primary_and_says_so() {
    RouteDecision decision = decide("auto:tree", SMALL_TALK);

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(decision.policy()).isEqualTo("auto:tree");
    assertThat(decision.policyKind()).isEqualTo("tree");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("goes to 'fake-premium'"));
    assertThat(decision.escalation()).isEmpty();
  }

  @Test
  void a_tree_below_the_rules_confidence_takes_its_low_confidence_model() {
    RouteDecision decision = decide("auto:tree", classified(TaskType.CONVERSATION, Complexity.SIMPLE, 0.9, 0.3, 100));

    assertThat(decision.model()).isEqualTo("fake-mid");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("below 0.50"));
  }

  @Test
  void a_no_compromise_rule_never_takes_its_cheaper_low_confidence_model() {
    RouteDecision decision = decide("auto:tree", SECURITY);   // confidence 0.5 is below the rule's 0.99

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("no_compromise"));
    assertThat(decision.fallbacks()).as("nothing weaker for security").isEmpty();
    assertThat(decision.escalation()).isEmpty();
  }

  @Test
  void economy_mode_moves_a_tree_one_tier_cheaper_and_counts_it() {
    RouteDecision decision = decide("auto:tree", SMALL_TALK, Constraints.NONE, 0.85);

    assertThat(decision.model()).as("the nearest cheaper model, not the cheapest").isEqualTo("fake-mid");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r)
      .contains("economy mode (global budget 85% used)").contains("'fake-mid' instead of 'fake-premium'"));
    assertThat(shifted).containsExactly("auto:tree");
    assertThat(decision.fallbacks()).contains("fake-premium");
  }

  @Test
  void economy_mode_stays_off_below_its_threshold() {
    RouteDecision decision = decide("auto:tree", SMALL_TALK, Constraints.NONE, 0.79);

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(decision.reasons()).noneSatisfy(r -> assertThat(r).contains("economy"));
    assertThat(shifted).isEmpty();
  }

  @Test
  void economy_mode_never_downgrades_a_no_compromise_rule() {
    RouteDecision decision = decide("auto:tree", SECURITY, Constraints.NONE, 0.99);

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("economy mode").contains("no_compromise")
      .contains("kept"));
    assertThat(shifted).isEmpty();
  }

  @Test
  void without_an_economy_section_a_full_budget_changes_nothing() {
    Router router = new Router(GatewayConfig.from(PolicyFixture.config("http://127.0.0.1:9/v1"), TestConfig.ENV),
      SuccessEstimates.NONE, shifted::add);

    RouteDecision decision = router.decide(new RouteRequest("auto:tree", SMALL_TALK, 0, Constraints.NONE, 1.5));

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(shifted).isEmpty();
  }

  // scoring

  @Test
  void scoring_ranks_candidates_by_their_weighted_factors_and_shows_them() {
    RouteDecision decision = decide("auto:scored", SMALL_TALK);

    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.policyKind()).isEqualTo("scoring");
    assertThat(decision.ranked()).extracting(Candidate::model)
      .containsExactly("fake-cheap", "fake-mid", "fake-premium");
    Candidate cheap = candidate(decision, "fake-cheap");
    assertThat(cheap.factors()).containsOnlyKeys("capability", "cost", "quality", "latency", "history");
    assertThat(cheap.factors()).containsEntry("capability", 1.0).containsEntry("quality", 0.8)
      .containsEntry("latency", 1.0).containsEntry("history", 0.5);
    assertThat(candidate(decision, "fake-premium").factors()).containsEntry("cost", 0.0)
      .containsEntry("latency", 0.25);
    Map<String, Double> f = cheap.factors();
    assertThat(cheap.score()).isCloseTo(0.35 * f.get("capability") + 0.20 * f.get("cost") + 0.20 * f.get("quality")
      + 0.15 * f.get("latency") + 0.10 * f.get("history"), offset(1e-9));
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r).contains("weights capability 0.35, cost 0.20"));
  }

  @Test
  void scoring_sends_critical_work_to_the_model_capable_of_it() {
    RouteDecision decision = decide("auto:scored", SECURITY);

    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(candidate(decision, "fake-cheap").factors().get("capability")).isZero();
  }

  @Test
  void the_historical_factor_can_change_the_winner() {
    RouteDecision neutral = decide("auto:scored", DEBUGGING);
    RouteDecision learned = router(json -> { }, (model, task) -> model.equals("fake-cheap") ? 1.0
      : model.equals("fake-mid") ? 0.0 : 0.5).decide(new RouteRequest("auto:scored", DEBUGGING, 0));

    assertThat(neutral.model()).isEqualTo("fake-mid");
    assertThat(learned.model()).isEqualTo("fake-cheap");
    assertThat(candidate(learned, "fake-cheap").factors()).containsEntry("history", 1.0);
  }

  @Test
  void weights_put_all_on_cost_pick_the_cheapest_model_whatever_the_task() {
    assertThat(decide("auto:scored-cost", SECURITY).model()).isEqualTo("fake-cheap");
  }

  @Test
  void economy_mode_moves_scoring_to_the_next_cheaper_candidate() {
    RouteDecision decision = decide("auto:scored", DEBUGGING, Constraints.NONE, 0.9);

    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(shifted).containsExactly("auto:scored");
  }

  @Test
  void weights_that_do_not_add_up_to_one_are_refused_with_their_key() {
    assertThatThrownBy(() -> config(json -> policy(json, "auto:scored")
      .put("weights", new JsonObject().put("cost", 0.5))))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("routing.policies.auto:scored.weights: ")
      .hasMessageContaining("add up to 1, got 1.3");
  }

  // threshold

  @Test
  void a_threshold_policy_sends_likely_easy_prompts_to_the_weak_model_and_the_rest_to_the_strong_one() {
    RouteDecision easy = decide("auto:threshold", SMALL_TALK);
    RouteDecision hard = decide("auto:threshold", SECURITY);
    RouteDecision unknown = decide("auto:threshold", Classification.unavailable(
      new RequestFeatures(100, 1, false, 0, 0, false)));

    assertThat(easy.model()).isEqualTo("fake-cheap");
    assertThat(easy.policyKind()).isEqualTo("threshold");
    assertThat(easy.reasons()).anySatisfy(r -> assertThat(r).contains("p_cheap_ok 0.90 >= 0.50"));
    assertThat(hard.model()).isEqualTo("fake-premium");
    assertThat(hard.reasons()).anySatisfy(r -> assertThat(r).contains("p_cheap_ok 0.10 < 0.50"));
    assertThat(unknown.model()).isEqualTo("fake-premium");
  }

  @Test
  void economy_mode_moves_a_threshold_policy_from_strong_to_weak() {
    assertThat(decide("auto:threshold", SECURITY, Constraints.NONE, 0.9).model()).isEqualTo("fake-cheap");
  }

  @Test
  void threshold_and_target_share_together_are_refused() {
    assertThatThrownBy(() -> config(json -> policy(json, "auto:threshold").put("target_premium_share", 0.3)))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("routing.policies.auto:threshold.threshold: ");
  }

  // cascade

  @Test
  void a_cascade_starts_at_the_first_capable_tier_and_escalates_through_the_capable_ones_after_it() {
    RouteDecision talk = decide("auto:cascade", SMALL_TALK);
    RouteDecision debugging = decide("auto:cascade", DEBUGGING);
    RouteDecision security = decide("auto:cascade", SECURITY);

    assertThat(talk.model()).isEqualTo("fake-cheap");
    assertThat(talk.policyKind()).isEqualTo("cascade");
    assertThat(talk.escalation()).containsExactly("fake-mid", "fake-premium");
    assertThat(debugging.model()).as("fake-cheap's 60 is short of the 65 medium work needs").isEqualTo("fake-mid");
    assertThat(debugging.escalation()).containsExactly("fake-premium");
    assertThat(debugging.reasons()).anySatisfy(r -> assertThat(r).contains("first tier with quality >= 65"));
    assertThat(security.model()).isEqualTo("fake-premium");
    assertThat(security.escalation()).isEmpty();
  }

  @Test
  void economy_mode_starts_a_cascade_one_tier_lower_and_escalates_from_there() {
    RouteDecision decision = decide("auto:cascade", DEBUGGING, Constraints.NONE, 0.8);

    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.escalation()).containsExactly("fake-mid", "fake-premium");
  }

  @Test
  void a_cascade_tier_that_is_not_a_model_is_refused_with_its_key() {
    assertThatThrownBy(() -> config(json -> policy(json, "auto:cascade")
      .put("tiers", new JsonArray().add("fake-cheap").add("nope"))))
      .isInstanceOf(ConfigException.class)
      .hasMessage("routing.policies.auto:cascade.tiers[1]: 'nope' is not a model under models");
  }

  @Test
  void an_unknown_policy_type_is_refused_with_its_key() {
    assertThatThrownBy(() -> config(json -> policy(json, "auto:cascade").put("type", "random")))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("routing.policies.auto:cascade.type: ");
  }

  // constraints

  @Test
  void every_policy_kind_leaves_out_models_below_min_quality() {
    for (String policy : List.of("auto", "auto:scored", "auto:scored-cost", "auto:threshold", "auto:cascade")) {
      RouteDecision decision = decide(policy, SMALL_TALK, minQuality(85), 0);

      assertThat(decision.model()).as(policy).isEqualTo("fake-premium");
      assertThat(candidate(decision, "fake-cheap").excludedBy()).as(policy).startsWith("min_quality 85 (quality 80)");
    }
  }

  @Test
  void every_policy_kind_leaves_out_models_above_max_cost() {
    // 100 tokens in, 512 out: fake-cheap $0.000215, fake-mid $0.001074, fake-premium $0.004296
    for (String policy : List.of("auto:tree", "auto:scored", "auto:threshold", "auto:cascade")) {
      RouteDecision decision = decide(policy, DEBUGGING,
        maxCostMicros(1_100), 0);

      assertThat(decision.model()).as(policy).isIn("fake-cheap", "fake-mid");
      assertThat(decision.estimatedCostMicros()).as(policy).isLessThanOrEqualTo(1_100);
      assertThat(decision.fallbacks()).as(policy).doesNotContain("fake-premium");
      assertThat(decision.escalation()).as(policy).doesNotContain("fake-premium");
    }
  }

  @Test
  void a_policy_whose_first_choice_breaks_a_constraint_says_which_and_takes_the_next() {
    RouteDecision decision = decide("auto:threshold", SECURITY, maxLatency(5_000), 0);

    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.reasons()).anySatisfy(r -> assertThat(r)
      .contains("'fake-premium' breaks max_latency_ms 5000 (latency 8000 ms), so 'fake-cheap'"));
  }

  @Test
  void a_no_compromise_rule_refuses_rather_than_break_a_constraint_with_a_weaker_model() {
    assertThatThrownBy(() -> decide("auto", SECURITY, maxLatency(5_000), 0))
      .isInstanceOfSatisfying(NoRouteException.class, e -> {
        assertThat(e.code()).isEqualTo(NoRouteException.CONSTRAINT_NOT_SATISFIABLE);
        assertThat(e.getMessage()).contains("'fake-premium' breaks max_latency_ms 5000");
      });
  }

  @Test
  void no_model_within_the_constraints_is_a_clear_refusal_naming_the_constraint() {
    assertThatThrownBy(() -> decide("auto:scored", SMALL_TALK, maxCostMicros(100), 0))
      .isInstanceOfSatisfying(NoRouteException.class, e -> {
        assertThat(e.code()).isEqualTo("constraint_not_satisfiable");
        assertThat(e.getMessage()).startsWith("No model of policy 'auto:scored' satisfies the request's constraints: ")
          .contains("'fake-cheap' breaks max_cost_usd 0.000100 (estimate $0.000215)")
          .contains("'fake-premium' breaks max_cost_usd");
      });
  }

  @Test
  void a_named_model_that_breaks_a_constraint_is_refused() {
    assertThatThrownBy(() -> decide("fake-cheap", SMALL_TALK, minQuality(90), 0))
      .isInstanceOfSatisfying(NoRouteException.class, e -> {
        assertThat(e.code()).isEqualTo("constraint_not_satisfiable");
        assertThat(e.getMessage()).isEqualTo("The model 'fake-cheap' does not satisfy the request's min_quality 90 "
          + "(quality 80)");
      });
  }

  // long context

  @Test
  void the_estimate_uses_the_long_context_prices_above_their_threshold() {
    Router router = router(json -> json.getJsonObject("models").getJsonObject("fake-cheap").getJsonObject("prices")
      .put("long_context", new JsonObject().put("threshold", 1_000).put("input", 0.20).put("output", 0.80)),
      SuccessEstimates.NONE);

    RouteDecision at = router.decide(new RouteRequest("fake-cheap",
      classified(TaskType.SUMMARIZATION, Complexity.MEDIUM, 0.6, 0.9, 1_000), 100));
    RouteDecision above = router.decide(new RouteRequest("fake-cheap",
      classified(TaskType.SUMMARIZATION, Complexity.MEDIUM, 0.6, 0.9, 2_000), 100));

    assertThat(at.estimatedCostMicros()).isEqualTo(1_000 * 100_000 / 1_000_000 + 100 * 400_000 / 1_000_000);
    assertThat(above.estimatedCostMicros()).isEqualTo(2_000 * 200_000 / 1_000_000 + 100 * 800_000 / 1_000_000);
    assertThat(above.reasons()).anySatisfy(r -> assertThat(r).contains("long-context prices"));
    assertThat(at.reasons()).noneSatisfy(r -> assertThat(r).contains("long-context prices"));
  }

  @Test
  void a_model_too_small_for_the_prompt_is_never_chosen_by_any_kind() {
    Router router = router(json -> json.getJsonObject("models").getJsonObject("fake-cheap")
      .put("context_window", 1_000), SuccessEstimates.NONE);
    Classification big = classified(TaskType.CONVERSATION, Complexity.SIMPLE, 0.9, 0.9, 5_000);

    for (String policy : List.of("auto", "auto:scored", "auto:threshold", "auto:cascade")) {
      RouteDecision decision = router.decide(new RouteRequest(policy, big, 0));

      assertThat(decision.model()).as(policy).isNotEqualTo("fake-cheap");
      assertThat(candidate(decision, "fake-cheap").fits()).as(policy).isFalse();
    }
  }

  // explanations

  @Test
  void the_reasons_header_is_printable_ascii_and_bounded() {
    RouteDecision decision = decide("auto:scored", SMALL_TALK).withReason("caf\u00e9\n" + "x".repeat(1_000));

    String header = decision.reasonsHeader();
    assertThat(header).hasSizeLessThanOrEqualTo(RouteDecision.MAX_REASONS_HEADER).endsWith("...")
      .matches("[\\x20-\\x7e]*").contains("caf?");
    assertThat(decide("auto", SMALL_TALK).reasonsHeader()).startsWith("classified as conversation, simple")
      .contains("; policy 'auto': conversation goes to 'fake-cheap'");
  }

  @Test
  void requests_and_decisions_survive_their_bus_encoding() {
    RouteRequest request = new RouteRequest("auto:scored", SMALL_TALK, 64,
      new Constraints(OptionalLong.of(1_000), OptionalInt.of(70), OptionalLong.of(2_500)), 0.42);
    RouteDecision decision = decide("auto:scored", SMALL_TALK);

    assertThat(RouteRequest.fromJson(request.toJson())).isEqualTo(request);
    RouteDecision copy = RouteDecision.fromJson(decision.toJson());
    assertThat(copy.policyKind()).isEqualTo("scoring");
    assertThat(copy.ranked().get(0).factors()).containsOnlyKeys("capability", "cost", "quality", "latency", "history");
    assertThat(copy.reasons()).isEqualTo(decision.reasons());
  }

  private static JsonObject policy(JsonObject json, String name) {
    return json.getJsonObject("routing").getJsonObject("policies").getJsonObject(name);
  }
}
