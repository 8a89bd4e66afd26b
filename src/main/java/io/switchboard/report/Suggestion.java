package io.switchboard.report;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

import static io.switchboard.report.ReportNumbers.round;
import static io.switchboard.report.ReportNumbers.usd;

/** A cheaper model that does a task type about as well as the model serving it now, and what moving would save. */
record Suggestion(String taskType, ModelRecord from, ModelRecord to, long monthlySavingMicros) {

  double costRatio() {
    return round(to.costPerRequestMicros() / from.costPerRequestMicros(), 4);
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("task_type", taskType)
      .put("from_model", from.model())
      .put("to_model", to.model())
      .put("success_from", round(from.successRate(), 4))
      .put("success_to", round(to.successRate(), 4))
      .put("cost_ratio", costRatio())
      .put("estimated_monthly_saving_usd", usd(monthlySavingMicros))
      .put("text", String.format(Locale.ROOT,
        "%s on %s succeeds %.1f %% on %s (%.1f %% on %s) at %.0f %% of the cost: estimated saving $%s/month",
        taskType, from.model(), 100 * to.successRate(), to.model(), 100 * from.successRate(), from.model(),
        100 * costRatio(), dollars(monthlySavingMicros / 1e6)));
  }

  /** Cents from a dollar up; below, two significant digits, so a small saving does not read as $0.00. */
  static String dollars(double usd) {
    if (usd >= 1 || usd <= 0) {
      return String.format(Locale.ROOT, "%.2f", usd);
    }
    return new BigDecimal(usd).round(new MathContext(2)).stripTrailingZeros().toPlainString();
  }
}
