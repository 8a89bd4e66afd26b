package io.switchboard.report;

import io.switchboard.config.InsightsConfig;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertsTest {

  private static final Alerts ALERTS = new Alerts(InsightsConfig.DEFAULTS);
  private static final LocalDate DAY = LocalDate.of(2026, 12, 4);
  /** Mean 200 000 µ$: with the factor 2 the threshold is 400 000. */
  private static final long[] TRAILING = {100_000, 200_000, 300_000};

  private static Figures figures(long requests, long escalated, long cost, long baseline) {
    return new Figures(requests, 0, 0, cost, baseline, escalated, 0, requests, new Percentiles(new long[0]));
  }

  private static List<String> kinds(List<Alert> alerts) {
    return alerts.stream().map(a -> a.kind() + ":" + a.severity()).toList();
  }

  @Test
  void healthy_numbers_raise_nothing() {
    // 10 % escalated, exactly 10 % saved, confidence 0.8, a day at exactly twice the trailing mean
    assertThat(ALERTS.evaluate(figures(40, 4, 900_000, 1_000_000), 40, 0.8, DAY, 400_000, TRAILING)).isEmpty();
  }

  @Test
  void each_rule_past_its_threshold() {
    List<Alert> alerts = ALERTS.evaluate(figures(40, 10, 950_000, 1_000_000), 40, 0.45, DAY, 500_000, TRAILING);

    assertThat(kinds(alerts)).containsExactly("low_confidence:warning", "high_escalation_rate:warning",
      "low_savings:warning", "cost_anomaly:warning");
    assertThat(alerts.get(0).value()).isEqualTo(0.45);
    assertThat(alerts.get(1).value()).isEqualTo(0.25);     // 10 of 40
    assertThat(alerts.get(2).value()).isEqualTo(5.0);      // (1 − 0.95) × 100 %
    assertThat(alerts.get(3).value().toString()).isEqualTo("0.500000");
    assertThat(alerts.get(3).threshold().toString()).isEqualTo("0.400000");
    assertThat(alerts.get(3).message()).isEqualTo(
      "2026-12-04 cost $0.500000, 2.5 times the mean $0.200000 of the 3 trailing days with traffic");
  }

  @Test
  void far_past_the_threshold_is_critical() {
    // 16 of 40 escalated (≥ twice 20 %), cost above the baseline, a day above 4 × the trailing mean
    List<Alert> alerts = ALERTS.evaluate(figures(40, 16, 1_100_000, 1_000_000), 40, 0.9, DAY, 900_000, TRAILING);

    assertThat(kinds(alerts)).containsExactly("high_escalation_rate:critical", "low_savings:critical",
      "cost_anomaly:critical");
  }

  @Test
  void rate_alerts_wait_for_enough_requests_and_anomalies_for_a_trailing_mean() {
    assertThat(ALERTS.evaluate(figures(19, 19, 1_000_000, 1_000_000), 19, 0.1, DAY, 900_000, new long[0])).isEmpty();
  }
}
