package io.switchboard.report;

import io.vertx.core.json.JsonObject;

import static io.switchboard.report.ReportNumbers.rate;
import static io.switchboard.report.ReportNumbers.savingsPct;
import static io.switchboard.report.ReportNumbers.usd;
import static io.switchboard.report.ReportNumbers.whole;

/**
 * The numbers of a stats report for a set of requests (all of a period, or one group of it).
 *
 * @param escalated  requests escalated at least once
 * @param cacheHits  requests answered from the response cache
 * @param successes  requests that ended with an answer ({@code ok})
 * @param latencies  every request's latency in ms, for its percentiles
 */
record Figures(long requests, long promptTokens, long completionTokens, long costMicros, long baselineMicros,
               long escalated, long cacheHits, long successes, Percentiles latencies) {

  /** From a ledger aggregate row with these column names, and the latencies of the same requests. */
  static Figures of(JsonObject row, long[] latencies) {
    return new Figures(whole(row, "requests"), whole(row, "prompt_tokens"), whole(row, "completion_tokens"),
      whole(row, "cost_micros"), whole(row, "baseline_cost_micros"), whole(row, "escalated"),
      whole(row, "cache_hits"), whole(row, "successes"), new Percentiles(latencies));
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("requests", requests)
      .put("prompt_tokens", promptTokens)
      .put("completion_tokens", completionTokens)
      .put("cost_usd", usd(costMicros))
      .put("baseline_cost_usd", usd(baselineMicros))
      .put("savings_usd", usd(baselineMicros - costMicros))
      .put("savings_pct", savingsPct(costMicros, baselineMicros))
      .put("escalation_rate", rate(escalated, requests))
      .put("cache_hit_rate", rate(cacheHits, requests))
      .put("success_rate", rate(successes, requests))
      .put("p50_latency_ms", latencies.at(50))
      .put("p95_latency_ms", latencies.at(95));
  }
}
