package io.switchboard.route;

import io.switchboard.classify.Classification;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.Scenario;
import io.switchboard.classify.TaskType;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.TestConfig;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The router's side of session pinning: when a pin is kept, left or ignored, and why. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionPinningRouterTest {

  private static final Router ROUTER = new Router(GatewayConfig.from(PolicyFixture.config("http://127.0.0.1:9/v1"),
    TestConfig.ENV));
  private static final Classification CHAT = PolicyFixture.classified(TaskType.CONVERSATION, Complexity.SIMPLE, 0.9,
    0.9, 1_100);
  private static final Classification SECURITY = PolicyFixture.classified(TaskType.SECURITY, Complexity.CRITICAL, 0.1,
    0.9, 1_100);

  private static RouteDecision decide(Classification c, CachePin pin) {
    return ROUTER.decide(new RouteRequest("auto", c, 64, Constraints.NONE, 0, Scenario.MAIN, pin));
  }

  @Test
  void a_model_without_a_cached_price_has_no_cache_to_lose() {
    RouteDecision decision = decide(CHAT, new CachePin("fake-premium", 1_000));
    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.reasons()).anyMatch(r -> r.startsWith("session moved from 'fake-premium' to 'fake-cheap': "
      + "switching saves $") && r.endsWith("more than the $0.000000 of cache lost"));
  }

  @Test
  void a_pinned_model_that_breaks_the_requests_constraints_is_left() {
    Constraints fast = new Constraints(OptionalLong.empty(), OptionalInt.empty(), OptionalLong.of(5_000));
    RouteDecision decision = ROUTER.decide(new RouteRequest("auto", CHAT, 64, fast, 0, Scenario.MAIN,
      new CachePin("fake-premium", 1_000)));
    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.reasons()).anyMatch(r -> r.startsWith("session pin to 'fake-premium' dropped: it breaks "));
  }

  @Test
  void a_no_compromise_rule_is_not_pinned_away() {
    RouteDecision decision = decide(SECURITY, new CachePin("fake-cheap", 1_000));
    assertThat(decision.model()).isEqualTo("fake-premium");
    assertThat(decision.reasons()).contains("session pin to 'fake-cheap' not kept: the rule is no_compromise");
  }

  @Test
  void a_pin_with_nothing_cacheable_is_ignored() {
    RouteDecision decision = decide(CHAT, new CachePin("fake-premium", 0));
    assertThat(decision.model()).isEqualTo("fake-cheap");
    assertThat(decision.reasons()).noneMatch(r -> r.contains("session") || r.contains("pinned"));
  }

  @Test
  void the_scenario_and_the_pin_survive_the_bus_encoding() {
    RouteRequest request = new RouteRequest("auto", CHAT, 64, Constraints.NONE, 0.3, Scenario.SUBAGENT,
      new CachePin("fake-premium", 900));
    assertThat(RouteRequest.fromJson(request.toJson())).isEqualTo(request);
    RouteDecision decision = decide(CHAT, null);
    assertThat(decision.scenario()).isEqualTo("main");
    assertThat(RouteDecision.fromJson(decision.toJson()).scenario()).isEqualTo("main");
    assertThat(decision.toJson().getString("scenario")).isEqualTo("main");
  }
}
