package io.switchboard.report;

import io.switchboard.config.InsightsConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The downgrade rule on a hand-computed fixture: three days with traffic, costs per request chosen round. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SuggestionsTest {

  private static final Suggestions RULE = new Suggestions(InsightsConfig.DEFAULTS);   // 20 requests, 2 points

  private static ModelRecord model(String task, String model, long requests, long successes, long microsPerRequest) {
    return new ModelRecord(task, model, requests, successes, requests * microsPerRequest);
  }

  private static final List<ModelRecord> THREE_DAYS = List.of(
    // code-review: premium 29/30 (96.67 %), 2000 µ$ a request
    model("code-review", "premium", 30, 29, 2_000),
    // cheap 24/25 (96 %, within 2 points), 400 µ$: premium → cheap
    model("code-review", "cheap", 25, 24, 400),
    // mid 36/40 (90 %): too far below premium; but cheap is within 2 points of it
    model("code-review", "mid", 40, 36, 1_000),
    // nano succeeds always and is cheapest, but has only 10 requests (< 20)
    model("code-review", "nano", 10, 10, 100),
    // summarization: premium 21/21 (100 %), cheap 49/50 (98 %: exactly 2 points below)
    model("summarization", "premium", 21, 21, 1_500),
    model("summarization", "cheap", 50, 49, 300),
    // translation: cheap 19/20 (95 %) is more than 2 points below premium's 100 %
    model("translation", "premium", 20, 20, 1_500),
    model("translation", "cheap", 20, 19, 300));

  @Test
  void a_cheaper_model_within_two_points_is_suggested_with_its_monthly_saving() {
    List<Suggestion> suggestions = RULE.suggest(THREE_DAYS, 3);

    assertThat(suggestions).extracting(s -> s.taskType() + ": " + s.from().model() + " -> " + s.to().model()
        + " " + s.monthlySavingMicros())
      .containsExactly(
        // (2000 − 400) µ$ × 30 requests / 3 days × 30 = 480 000 µ$
        "code-review: premium -> cheap 480000",
        // (1500 − 300) × 21 / 3 × 30 = 252 000
        "summarization: premium -> cheap 252000",
        // (1000 − 400) × 40 / 3 × 30 = 240 000
        "code-review: mid -> cheap 240000");
  }

  @Test
  void the_json_carries_rates_ratio_and_dollars() {
    JsonObject first = RULE.suggest(THREE_DAYS, 3).get(0).toJson();

    assertThat(first.getString("task_type")).isEqualTo("code-review");
    assertThat(first.getString("from_model")).isEqualTo("premium");
    assertThat(first.getString("to_model")).isEqualTo("cheap");
    assertThat(first.getDouble("success_from")).isEqualTo(0.9667);
    assertThat(first.getDouble("success_to")).isEqualTo(0.96);
    assertThat(first.getDouble("cost_ratio")).isEqualTo(0.2);
    assertThat(first.getValue("estimated_monthly_saving_usd").toString()).isEqualTo("0.480000");
    assertThat(first.getString("text")).isEqualTo("code-review on premium succeeds 96.0 % on cheap (96.7 % on premium)"
      + " at 20 % of the cost: estimated saving $0.48/month");
  }

  @Test
  void the_minimum_and_the_margin_come_from_the_configuration() {
    InsightsConfig strict = new InsightsConfig(30, 0.0, 20, 0.5, 0.2, 2.0, 7, 10.0);

    // cheap's 25 code-review requests are now too few; only summarization's 50 count, and 98 % < 100 %
    assertThat(new Suggestions(strict).suggest(THREE_DAYS, 3)).isEmpty();
  }

  @Test
  void no_traffic_no_suggestion() {
    assertThat(RULE.suggest(List.of(), 0)).isEmpty();
  }

  @Test
  void a_saving_under_a_dollar_keeps_two_significant_digits_instead_of_reading_as_zero() {
    assertThat(Suggestion.dollars(0.00549)).isEqualTo("0.0055");
    assertThat(Suggestion.dollars(0.48)).isEqualTo("0.48");
    assertThat(Suggestion.dollars(12.5)).isEqualTo("12.50");
    assertThat(Suggestion.dollars(0)).isEqualTo("0.00");
  }
}
