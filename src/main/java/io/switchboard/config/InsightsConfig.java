package io.switchboard.config;

import java.util.Set;

/**
 * Thresholds of {@code GET /admin/reports/insights}: {@code analytics.suggestions} and {@code analytics.alerts}.
 *
 * @param suggestionMinRequests a cheaper model is suggested only with at least this many requests of the task type
 * @param successMargin         ... and a success rate at most this far (a fraction) below the current model's
 * @param alertMinRequests      rate alerts (confidence, escalation, savings) wait for this many requests
 * @param lowConfidence         alert when the mean routing confidence is below this
 * @param highEscalationRate    alert when the escalation rate is above this (critical at twice it)
 * @param costAnomalyFactor     alert when a day costs more than this times the trailing mean (critical at twice it)
 * @param trailingDays          days before the checked one that make the trailing mean (days without traffic skipped)
 * @param lowSavingsPct         alert when savings against the baseline are below this percentage (critical below 0)
 */
public record InsightsConfig(int suggestionMinRequests, double successMargin, int alertMinRequests,
                             double lowConfidence, double highEscalationRate, double costAnomalyFactor,
                             int trailingDays, double lowSavingsPct) {

  public static final InsightsConfig DEFAULTS = new InsightsConfig(20, 0.02, 20, 0.5, 0.2, 2.0, 7, 10.0);

  /** @param analytics the {@code analytics} section; reads only its {@code suggestions} and {@code alerts} */
  public static InsightsConfig from(ConfigReader analytics) {
    ConfigReader suggestions = analytics.section("suggestions")
      .allowOnly(Set.of("min_requests", "success_margin"));
    ConfigReader alerts = analytics.section("alerts").allowOnly(Set.of("min_requests", "low_confidence",
      "high_escalation_rate", "cost_anomaly_factor", "trailing_days", "low_savings_pct"));
    return new InsightsConfig(
      suggestions.intValue("min_requests", DEFAULTS.suggestionMinRequests(), 1, 1_000_000_000),
      suggestions.doubleValue("success_margin", DEFAULTS.successMargin(), 0, 1),
      alerts.intValue("min_requests", DEFAULTS.alertMinRequests(), 1, 1_000_000_000),
      alerts.doubleValue("low_confidence", DEFAULTS.lowConfidence(), 0, 1),
      alerts.doubleValue("high_escalation_rate", DEFAULTS.highEscalationRate(), 0, 1),
      alerts.doubleValue("cost_anomaly_factor", DEFAULTS.costAnomalyFactor(), 1, 1_000),
      alerts.intValue("trailing_days", DEFAULTS.trailingDays(), 1, 366),
      alerts.doubleValue("low_savings_pct", DEFAULTS.lowSavingsPct(), -100, 100));
  }
}
