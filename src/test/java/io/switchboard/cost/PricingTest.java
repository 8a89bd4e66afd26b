package io.switchboard.cost;

import io.switchboard.config.Prices;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PricingTest {

  /** Rates are micro-dollars per million tokens, i.e. the $/M list price times 10^6. */
  private static final long DOLLAR = 1_000_000;

  private static Prices flat(long input, long output) {
    return new Prices(input, output, input, input, 0, input, output);
  }

  private static Usage usage(long prompt, long completion) {
    return new Usage(prompt, completion, 0, 0, false);
  }

  @Test
  void prompt_and_completion_tokens_are_priced_at_their_own_rates() {
    // 12 prompt tokens at $0.10/M + 5 completion tokens at $0.40/M = 1.2 + 2.0 = 3.2 µ$ → 3
    assertThat(Pricing.cost(flat(DOLLAR / 10, 4 * DOLLAR / 10), usage(12, 5))).isEqualTo(3);
    // the same tokens at $2/M and $8/M: 24 + 40 = 64 µ$
    assertThat(Pricing.cost(flat(2 * DOLLAR, 8 * DOLLAR), usage(12, 5))).isEqualTo(64);
    assertThat(Pricing.cost(flat(2 * DOLLAR, 8 * DOLLAR), Usage.NONE)).isZero();
  }

  @Test
  void rounding_is_half_up_on_the_total_not_per_part() {
    // one token at $0.50/M is exactly 0.5 µ$
    assertThat(Pricing.cost(flat(DOLLAR / 2, 0), usage(1, 0))).isEqualTo(1);
    assertThat(Pricing.cost(flat(DOLLAR / 2 - 1, 0), usage(1, 0))).isZero();
    // 0.4 + 0.4 = 0.8 µ$: rounding each part would give 0
    assertThat(Pricing.cost(flat(4 * DOLLAR / 10, 4 * DOLLAR / 10), usage(1, 1))).isEqualTo(1);
    // 1.5 µ$ → 2, 2.499999 µ$ → 2, 2.5 µ$ → 3
    assertThat(Pricing.cost(flat(DOLLAR / 2, 0), usage(3, 0))).isEqualTo(2);
    assertThat(Pricing.cost(flat(2_499_999, 0), usage(1, 0))).isEqualTo(2);
    assertThat(Pricing.cost(flat(2_499_999, 1), usage(1, 1))).isEqualTo(3);
  }

  @Test
  void cached_prompt_tokens_are_priced_at_the_cached_rate() {
    Prices prices = new Prices(2 * DOLLAR, 8 * DOLLAR, DOLLAR / 2, 2 * DOLLAR + DOLLAR / 2, 0, 2 * DOLLAR, 8 * DOLLAR);

    // 600 fresh × $2/M + 400 cached × $0.50/M + 100 out × $8/M = 1200 + 200 + 800 µ$
    assertThat(Pricing.cost(prices, new Usage(1_000, 100, 400, 0, false))).isEqualTo(2_200);
    // cache writes at $2.50/M: 500 fresh + 300 cached + 200 written = 1000 + 150 + 500
    assertThat(Pricing.cost(prices, new Usage(1_000, 0, 300, 200, false))).isEqualTo(1_650);
  }

  @Test
  void cached_and_written_tokens_never_exceed_the_prompt() {
    Prices prices = new Prices(2 * DOLLAR, 8 * DOLLAR, DOLLAR / 2, 3 * DOLLAR, 0, 2 * DOLLAR, 8 * DOLLAR);

    // a provider reporting more cached tokens than prompt tokens: the whole prompt is cached, nothing is negative
    assertThat(Pricing.cost(prices, new Usage(1_000, 0, 5_000, 0, false))).isEqualTo(500);
    assertThat(Pricing.cost(prices, new Usage(1_000, 0, 400, 5_000, false))).isEqualTo(200 + 1_800);
  }

  @Test
  void prompts_above_the_long_context_threshold_pay_the_long_context_rates_for_everything() {
    Prices prices = new Prices(2 * DOLLAR, 8 * DOLLAR, DOLLAR / 2, 2 * DOLLAR, 128_000, 4 * DOLLAR, 16 * DOLLAR);

    assertThat(prices.longContext(128_000)).isFalse();
    assertThat(prices.longContext(128_001)).isTrue();
    // at the threshold: 128000 × $2/M + 1000 × $8/M = 256000 + 8000 µ$
    assertThat(Pricing.cost(prices, usage(128_000, 1_000))).isEqualTo(264_000);
    // one token above: 128001 × $4/M + 1000 × $16/M = 512004 + 16000 µ$
    assertThat(Pricing.cost(prices, usage(128_001, 1_000))).isEqualTo(528_004);
  }

  @Test
  void without_a_threshold_the_long_context_rates_never_apply() {
    Prices prices = new Prices(2 * DOLLAR, 8 * DOLLAR, 2 * DOLLAR, 2 * DOLLAR, 0, 4 * DOLLAR, 16 * DOLLAR);

    assertThat(prices.longContext(10_000_000)).isFalse();
    assertThat(Pricing.cost(prices, usage(10_000_000, 0))).isEqualTo(20 * DOLLAR);
  }

  @Test
  void large_token_counts_do_not_overflow() {
    // three billion tokens each way at $75/M and $150/M: 225000 $ + 450000 $
    Prices prices = flat(75 * DOLLAR, 150 * DOLLAR);

    assertThat(Pricing.cost(prices, usage(3_000_000_000L, 3_000_000_000L))).isEqualTo(675_000 * DOLLAR);
    // the largest context window the configuration accepts, at the highest list prices seen
    assertThat(Pricing.cost(flat(60 * DOLLAR, 240 * DOLLAR), usage(100_000_000, 100_000_000)))
      .isEqualTo(30_000 * DOLLAR);
  }

  @Test
  void an_estimate_costs_the_same_as_the_usage_it_assumes() {
    Prices prices = flat(DOLLAR / 10, 4 * DOLLAR / 10);

    assertThat(Pricing.estimate(prices, 12, 5)).isEqualTo(Pricing.cost(prices, usage(12, 5)));
    assertThat(Pricing.estimate(prices, 1_000, 512)).isEqualTo(305);   // 100 + 204.8 = 304.8
  }

  @Test
  void money_is_formatted_as_dollars_with_six_decimals() {
    assertThat(Money.usd(0)).isEqualTo("0.000000");
    assertThat(Money.usd(3)).isEqualTo("0.000003");
    assertThat(Money.usd(1_234)).isEqualTo("0.001234");
    assertThat(Money.usd(1_000_000)).isEqualTo("1.000000");
    assertThat(Money.usd(12_345_678)).isEqualTo("12.345678");
    assertThat(Money.usd(675_000 * DOLLAR)).isEqualTo("675000.000000");
  }

  @Test
  void negative_amounts_keep_their_sign_in_front() {
    assertThat(Money.usd(-1)).isEqualTo("-0.000001");
    assertThat(Money.usd(-61)).isEqualTo("-0.000061");
    assertThat(Money.usd(-1_500_000)).isEqualTo("-1.500000");
  }

  @Test
  void money_formatting_does_not_depend_on_the_default_locale() {
    // the values end up in HTTP headers and JSON: ASCII digits whatever the JVM's locale
    Locale saved = Locale.getDefault(Locale.Category.FORMAT);
    try {
      for (String tag : new String[] {"ar-EG", "fa-IR", "th-TH-u-nu-thai", "de-DE"}) {
        Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag(tag));
        assertThat(Money.usd(1_234)).as(tag).isEqualTo("0.001234");
        assertThat(Money.usd(-12_345_678)).as(tag).isEqualTo("-12.345678");
      }
    } finally {
      Locale.setDefault(Locale.Category.FORMAT, saved);
    }
  }

  @Test
  void savings_percent_has_one_decimal_and_is_zero_without_a_baseline() {
    assertThat(Money.savingsPercent(9, 192)).isEqualTo(95.3);
    assertThat(Money.savingsPercent(64, 64)).isEqualTo(0.0);
    assertThat(Money.savingsPercent(128, 64)).isEqualTo(-100.0);
    assertThat(Money.savingsPercent(5, 0)).isEqualTo(0.0);
  }
}
