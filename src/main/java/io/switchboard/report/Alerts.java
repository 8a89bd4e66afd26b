package io.switchboard.report;

import io.switchboard.config.InsightsConfig;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.switchboard.report.ReportNumbers.round;
import static io.switchboard.report.ReportNumbers.savingsPct;
import static io.switchboard.report.ReportNumbers.usd;

/**
 * The alert rules, over a period's figures (see {@link InsightsConfig} for the thresholds):
 * <ul>
 *   <li>{@code low_confidence}: mean routing confidence below the threshold (warning);</li>
 *   <li>{@code high_escalation_rate}: share of requests escalated above the threshold (critical at twice it);</li>
 *   <li>{@code low_savings}: savings against the baseline below the threshold percentage (critical when negative);</li>
 *   <li>{@code cost_anomaly}: a day's cost above the factor times the mean cost of the trailing days that had
 *       traffic (critical at twice the factor).</li>
 * </ul>
 * The rate rules wait for {@code min_requests} requests (or classified requests, for confidence), so that one
 * request does not raise an alert.
 */
final class Alerts {

  private static final String WARNING = "warning";
  private static final String CRITICAL = "critical";

  private final InsightsConfig config;

  Alerts(InsightsConfig config) {
    this.config = config;
  }

  /**
   * @param confidences      requests of the period that carry a routing confidence
   * @param meanConfidence   their mean confidence
   * @param day              the day checked for a cost anomaly
   * @param dayCostMicros    its cost
   * @param trailingCosts    cost of each of the trailing days before it that had traffic
   */
  List<Alert> evaluate(Figures period, long confidences, double meanConfidence, LocalDate day, long dayCostMicros,
                       long[] trailingCosts) {
    List<Alert> alerts = new ArrayList<>();
    if (confidences >= config.alertMinRequests() && meanConfidence < config.lowConfidence()) {
      alerts.add(new Alert("low_confidence", WARNING, String.format(Locale.ROOT,
        "Mean routing confidence %.2f over %d requests is below %.2f: the classifier is unsure of this traffic",
        meanConfidence, confidences, config.lowConfidence()), round(meanConfidence, 4), config.lowConfidence()));
    }
    long requests = period.requests();
    if (requests >= config.alertMinRequests()) {
      double escalation = period.escalated() / (double) requests;
      if (escalation > config.highEscalationRate()) {
        alerts.add(new Alert("high_escalation_rate", escalation >= 2 * config.highEscalationRate() ? CRITICAL : WARNING,
          String.format(Locale.ROOT, "%.1f %% of %d requests were escalated (threshold %.1f %%): the first choice"
            + " often fails the quality check", 100 * escalation, requests, 100 * config.highEscalationRate()),
          round(escalation, 4), config.highEscalationRate()));
      }
      if (period.baselineMicros() > 0) {
        double savings = savingsPct(period.costMicros(), period.baselineMicros());
        if (savings < config.lowSavingsPct()) {
          alerts.add(new Alert("low_savings", savings < 0 ? CRITICAL : WARNING, String.format(Locale.ROOT,
            "Savings against the baseline are %.2f %% over %d requests (threshold %.2f %%)", savings, requests,
            config.lowSavingsPct()), savings, config.lowSavingsPct()));
        }
      }
    }
    anomaly(day, dayCostMicros, trailingCosts).ifPresent(alerts::add);
    return alerts;
  }

  private Optional<Alert> anomaly(LocalDate day, long dayCostMicros, long[] trailingCosts) {
    if (trailingCosts.length == 0) {
      return Optional.empty();
    }
    long sum = 0;
    for (long cost : trailingCosts) {
      sum += cost;
    }
    double mean = sum / (double) trailingCosts.length;
    double factor = config.costAnomalyFactor();
    if (mean <= 0 || dayCostMicros <= factor * mean) {
      return Optional.empty();
    }
    long thresholdMicros = Math.round(factor * mean);
    return Optional.of(new Alert("cost_anomaly", dayCostMicros > 2 * factor * mean ? CRITICAL : WARNING,
      String.format(Locale.ROOT, "%s cost $%.6f, %.1f times the mean $%.6f of the %d trailing days with traffic",
        day, dayCostMicros / 1e6, dayCostMicros / mean, mean / 1e6, trailingCosts.length),
      usd(dayCostMicros), usd(thresholdMicros)));
  }
}
