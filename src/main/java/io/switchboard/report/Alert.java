package io.switchboard.report;

import io.vertx.core.json.JsonObject;

/**
 * Something in the numbers that deserves a look.
 *
 * @param kind      {@code low_confidence}, {@code high_escalation_rate}, {@code cost_anomaly} or {@code low_savings}
 * @param severity  {@code warning} or {@code critical}
 * @param value     the measured value, in the unit of {@code threshold}
 * @param threshold the configured limit it crossed (for cost anomalies: the factor times the trailing mean, in USD)
 */
record Alert(String kind, String severity, String message, Number value, Number threshold) {

  JsonObject toJson() {
    return new JsonObject().put("kind", kind).put("severity", severity).put("message", message)
      .put("value", value).put("threshold", threshold);
  }
}
