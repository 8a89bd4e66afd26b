package io.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway learns which models answer which task types well: a decayed Beta posterior per (model, task
 * type) fed by feedback and outcomes, read by the routers as the historical factor.
 *
 * @param enabled          off: nothing is learned, every model stays at the prior
 * @param halfLife         evidence loses half its weight in this long, so old results fade
 * @param priorMean        the estimate of a model with no evidence
 * @param priorWeight      how many observations the prior is worth: more makes the first signals move it less
 * @param feedbackWeight   observations one explicit {@code POST /v1/feedback} is worth
 * @param answeredWeight   a delivered answer that nobody complained about, as a (weak) success
 * @param escalationWeight an answer that failed the quality check, as a failure of the model that gave it
 * @param failureWeight    an upstream call whose answer was broken (cut, stalled, unreadable), as a failure
 * @param retryWeight      the same caller sending the same prompt again, as a failure of the model that answered
 * @param retryWindow      how soon the same prompt must come back to count as a retry; zero turns retries off
 * @param maxDecisions     recent decisions kept for feedback, retries and experiments (the oldest go first)
 * @param decisionTtl      how long a decision can still receive feedback
 * @param snapshotFile     without Redis: where the estimates are saved and read back at start
 * @param snapshotInterval how often the snapshot file is written (and at stop)
 * @param refreshInterval  with Redis: how often each instance sends its observations and reads everyone's back
 */
public record LearningConfig(boolean enabled, Duration halfLife, double priorMean, double priorWeight,
                             double feedbackWeight, double answeredWeight, double escalationWeight,
                             double failureWeight, double retryWeight, Duration retryWindow, int maxDecisions,
                             Duration decisionTtl, Optional<Path> snapshotFile, Duration snapshotInterval,
                             Duration refreshInterval) {

  static LearningConfig from(ConfigReader r) {
    r.allowOnly(Set.of("enabled", "half_life_hours", "prior", "weights", "retry_window_seconds", "max_decisions",
      "decision_ttl_seconds", "snapshot_file", "snapshot_interval_seconds",
      "refresh_interval_seconds"));
    ConfigReader prior = r.section("prior");
    prior.allowOnly(Set.of("mean", "weight"));
    ConfigReader weights = r.section("weights");
    weights.allowOnly(Set.of("feedback", "answered", "escalation", "upstream_failure", "retry"));
    String file = r.string("snapshot_file", "");
    return new LearningConfig(r.bool("enabled", true),
      Duration.ofMinutes(Math.round(r.doubleValue("half_life_hours", 168, 0.01, 87_600) * 60)),
      prior.doubleValue("mean", 0.5, 0.01, 0.99), prior.doubleValue("weight", 2, 0.1, 10_000),
      weights.doubleValue("feedback", 1, 0, 100), weights.doubleValue("answered", 0.1, 0, 100),
      weights.doubleValue("escalation", 1, 0, 100), weights.doubleValue("upstream_failure", 0.5, 0, 100),
      weights.doubleValue("retry", 0.5, 0, 100),
      Duration.ofSeconds(r.longValue("retry_window_seconds", 120, 0, 86_400)),
      r.intValue("max_decisions", 100_000, 100, 10_000_000),
      Duration.ofSeconds(r.longValue("decision_ttl_seconds", 86_400, 1, 30L * 86_400)),
      file.isBlank() ? Optional.empty() : Optional.of(Path.of(file)),
      Duration.ofSeconds(r.longValue("snapshot_interval_seconds", 60, 1, 86_400)),
      Duration.ofSeconds(r.longValue("refresh_interval_seconds", 5, 1, 3_600)));
  }
}
