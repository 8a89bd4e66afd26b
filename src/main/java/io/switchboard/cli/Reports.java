package io.switchboard.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;

/** Lines every report prints alike: the period it covers, and cost against the baseline. */
final class Reports {

  private Reports() {
  }

  static void period(JsonObject answer, PrintWriter out) {
    if (answer.getValue("period") instanceof JsonObject period) {
      String from = Format.text(period, "from");
      String to = Format.text(period, "to");
      out.println("period:      " + (from.equals(to) ? from : from + " to " + to) + " (UTC)");
    }
  }

  /** {@code $0.000521 vs $0.001680 baseline: $0.001159 saved (69.0 %)}. */
  static String savings(JsonObject json) {
    return Format.usd(json, "cost_usd") + " vs " + Format.usd(json, "baseline_cost_usd") + " baseline: "
      + Format.usd(json, "savings_usd") + " saved (" + savingsPct(json) + ")";
  }

  static String savingsPct(JsonObject json) {
    return Format.percent(json, "savings_pct");
  }
}
