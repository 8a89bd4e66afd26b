package io.switchboard.report;

import io.vertx.core.json.JsonObject;

import static io.switchboard.report.ReportNumbers.text;
import static io.switchboard.report.ReportNumbers.whole;

/** How one model did on one task type over a period: the ledger's {@code model_performance}, summed over days. */
record ModelRecord(String taskType, String model, long requests, long successes, long costMicros) {

  static ModelRecord of(JsonObject row) {
    return new ModelRecord(text(row, "task_type", ""), text(row, "model", ""), whole(row, "requests"),
      whole(row, "successes"), whole(row, "cost_micros"));
  }

  double successRate() {
    return requests == 0 ? 0.0 : successes / (double) requests;
  }

  double costPerRequestMicros() {
    return requests == 0 ? 0.0 : costMicros / (double) requests;
  }
}
