package io.switchboard.ledger;

/** The statements that write the ledger's rows, one per kind of row; each writes a row once, however often run. */
final class LedgerRows {

  static final String DECISION = """
    INSERT INTO routing_decisions (decision_id, epoch_ms, day, tenant, key_label, policy, model, provider, task_type,
      complexity, confidence, p_cheap_ok, streaming, experiment, arm, prompt, outcome, cache_hit)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

  static final String OUTCOME = """
    INSERT INTO routing_outcomes (decision_id, epoch_ms, day, kind, outcome, score, latency_ms, ttfb_ms, overhead_us,
      escalations, model, task_type)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String COST = """
    INSERT INTO cost_tracking (decision_id, attempt, epoch_ms, day, model, provider, key_label, task_type,
      prompt_tokens, completion_tokens, cached_tokens, cost_micros, baseline_cost_micros, estimated, complexity,
      upstream_key, outcome, cache_hit)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

  static final String PERFORMANCE = """
    INSERT INTO model_performance (day, model, task_type, requests, successes, failures, escalations, latency_sum_ms,
      cost_micros, attempts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (day, model, task_type) DO UPDATE SET requests = model_performance.requests + excluded.requests,
      successes = model_performance.successes + excluded.successes,
      failures = model_performance.failures + excluded.failures,
      escalations = model_performance.escalations + excluded.escalations,
      latency_sum_ms = model_performance.latency_sum_ms + excluded.latency_sum_ms,
      cost_micros = model_performance.cost_micros + excluded.cost_micros,
      attempts = model_performance.attempts + excluded.attempts""";

  static final String BUDGET = """
    INSERT INTO budget_tracking (epoch_ms, day, scope, period, event, limit_micros, spent_micros, threshold)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

  static final String FALLBACK = """
    INSERT INTO fallback_events (decision_id, epoch_ms, day, attempt, from_model, to_model, provider, reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

  static final String RATE_LIMIT = """
    INSERT INTO rate_limit_events (epoch_ms, day, source, scope_or_model, provider, retry_after_ms, decision_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)""";

  private LedgerRows() {
  }
}
