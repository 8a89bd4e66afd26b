package io.switchboard.ledger;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger's schema, in numbered steps recorded in {@code schema_version}: a store is brought from its version to
 * the newest at start, each step in its own transaction. The SQL is the subset SQLite and PostgreSQL share (BIGINT,
 * DOUBLE PRECISION, TEXT; {@code IF NOT EXISTS}); a step, once released, never changes: a new column is a new step.
 */
public final class Migrations {

  /** Every table of the ledger, in the order a reset empties them; schema_version is not among them. */
  public static final List<String> TABLES = List.of("routing_decisions", "routing_outcomes", "cost_tracking",
    "model_performance", "budget_tracking", "fallback_events", "rate_limit_events");

  private static final List<List<String>> STEPS = List.of(List.of(
    """
      CREATE TABLE IF NOT EXISTS routing_decisions (
        decision_id TEXT PRIMARY KEY, epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, tenant TEXT, key_label TEXT,
        policy TEXT, model TEXT, provider TEXT, task_type TEXT, complexity TEXT, confidence DOUBLE PRECISION,
        p_cheap_ok DOUBLE PRECISION, streaming BIGINT, experiment TEXT, arm TEXT, prompt TEXT,
        outcome TEXT, cache_hit BIGINT NOT NULL DEFAULT 0)""",
    "CREATE INDEX IF NOT EXISTS routing_decisions_day ON routing_decisions (day)",
    """
      CREATE TABLE IF NOT EXISTS routing_outcomes (
        decision_id TEXT NOT NULL, epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, outcome TEXT,
        score DOUBLE PRECISION, latency_ms BIGINT, ttfb_ms BIGINT, overhead_us BIGINT, escalations BIGINT,
        model TEXT, task_type TEXT)""",
    "CREATE INDEX IF NOT EXISTS routing_outcomes_day ON routing_outcomes (day)",
    "CREATE INDEX IF NOT EXISTS routing_outcomes_decision ON routing_outcomes (decision_id)",
    """
      CREATE TABLE IF NOT EXISTS cost_tracking (
        decision_id TEXT NOT NULL, attempt BIGINT NOT NULL, epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, model TEXT,
        provider TEXT, key_label TEXT, task_type TEXT, prompt_tokens BIGINT, completion_tokens BIGINT,
        cached_tokens BIGINT, cost_micros BIGINT NOT NULL, baseline_cost_micros BIGINT NOT NULL, estimated BIGINT,
        complexity TEXT, upstream_key TEXT, outcome TEXT, cache_hit BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (decision_id, attempt))""",
    "CREATE INDEX IF NOT EXISTS cost_tracking_day ON cost_tracking (day)",
    """
      CREATE TABLE IF NOT EXISTS model_performance (
        day TEXT NOT NULL, model TEXT NOT NULL, task_type TEXT NOT NULL, requests BIGINT NOT NULL,
        successes BIGINT NOT NULL, failures BIGINT NOT NULL, escalations BIGINT NOT NULL,
        latency_sum_ms BIGINT NOT NULL, cost_micros BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (day, model, task_type))""",
    """
      CREATE TABLE IF NOT EXISTS budget_tracking (
        epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, scope TEXT NOT NULL, period TEXT NOT NULL, event TEXT NOT NULL,
        limit_micros BIGINT, spent_micros BIGINT, threshold DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS budget_tracking_day ON budget_tracking (day)",
    """
      CREATE TABLE IF NOT EXISTS fallback_events (
        decision_id TEXT NOT NULL, epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, attempt BIGINT NOT NULL,
        from_model TEXT, to_model TEXT, provider TEXT, reason TEXT, PRIMARY KEY (decision_id, attempt))""",
    "CREATE INDEX IF NOT EXISTS fallback_events_day ON fallback_events (day)",
    """
      CREATE TABLE IF NOT EXISTS rate_limit_events (
        epoch_ms BIGINT NOT NULL, day TEXT NOT NULL, source TEXT NOT NULL, scope_or_model TEXT, provider TEXT,
        retry_after_ms BIGINT, decision_id TEXT)""",
    "CREATE INDEX IF NOT EXISTS rate_limit_events_day ON rate_limit_events (day)",
    "DROP VIEW IF EXISTS daily_costs_by_model",
    """
      CREATE VIEW daily_costs_by_model AS
      SELECT day, model, COUNT(DISTINCT decision_id) AS requests, SUM(cost_micros) AS cost_micros,
             SUM(baseline_cost_micros) AS baseline_cost_micros
      FROM cost_tracking GROUP BY day, model""",
    "DROP VIEW IF EXISTS model_summary",
    """
      CREATE VIEW model_summary AS
      SELECT model, SUM(requests) AS requests, SUM(successes) AS successes, SUM(failures) AS failures,
             SUM(escalations) AS escalations, SUM(cost_micros) AS cost_micros,
             1.0 * SUM(successes) / NULLIF(SUM(requests), 0) AS success_rate,
             1.0 * SUM(latency_sum_ms) / NULLIF(SUM(requests), 0) AS mean_latency_ms,
             1.0 * SUM(cost_micros) / NULLIF(SUM(successes), 0) AS cost_per_success_micros
      FROM model_performance GROUP BY model""",
    "DROP VIEW IF EXISTS budget_status",
    """
      CREATE VIEW budget_status AS
      SELECT scope, period, SUM(CASE WHEN event = 'refused' THEN 1 ELSE 0 END) AS refusals,
             SUM(CASE WHEN event = 'alert' THEN 1 ELSE 0 END) AS alerts, MAX(limit_micros) AS limit_micros,
             MAX(spent_micros) AS spent_micros, MAX(threshold) AS threshold, MAX(epoch_ms) AS last_epoch_ms
      FROM budget_tracking GROUP BY scope, period""",
    "DROP VIEW IF EXISTS fallback_rates",
    """
      CREATE VIEW fallback_rates AS
      SELECT a.model AS model, a.attempts AS attempts, COALESCE(f.fallbacks, 0) AS fallbacks,
             1.0 * COALESCE(f.fallbacks, 0) / a.attempts AS fallback_rate
      FROM (SELECT model, SUM(attempts) AS attempts FROM model_performance GROUP BY model HAVING SUM(attempts) > 0) a
      LEFT JOIN (SELECT from_model, COUNT(*) AS fallbacks FROM fallback_events GROUP BY from_model) f
        ON f.from_model = a.model""")
  );

  private Migrations() {
  }

  /**
   * The columns of a ledger table in the order its rows hold them, read from the steps that create and extend it:
   * an export of a table with no rows still has a header.
   */
  public static List<String> columns(String table) {
    Pattern create = Pattern.compile("CREATE TABLE IF NOT EXISTS " + table + " \\((.*)\\)", Pattern.DOTALL);
    Pattern alter = Pattern.compile("ALTER TABLE " + table + " ADD COLUMN (\\w+)");
    List<String> columns = new ArrayList<>();
    for (List<String> step : STEPS) {
      for (String sql : step) {
        Matcher created = create.matcher(sql.strip());
        if (created.matches()) {
          // a comma followed by a closing parenthesis before any opening one is inside PRIMARY KEY (...)
          for (String definition : created.group(1).split(",(?![^(]*\\))")) {
            String name = definition.strip().split("\\s+")[0];
            if (!name.equals("PRIMARY")) {
              columns.add(name);
            }
          }
        }
        Matcher added = alter.matcher(sql);
        if (added.find()) {
          columns.add(added.group(1));
        }
      }
    }
    return List.copyOf(columns);
  }

  /** The newest schema version. */
  public static int latest() {
    return STEPS.size();
  }

  /** Brings {@code store} to the newest version; its version afterwards. */
  public static Future<Integer> migrate(LedgerStore store) {
    return store.batch(List.of(Statement.of(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, epoch_ms BIGINT NOT NULL)")))
      .compose(created -> store.query("SELECT MAX(version) AS version FROM schema_version", List.of()))
      .compose(rows -> {
        Long current = rows.isEmpty() ? null : rows.get(0).getLong("version");
        return step(store, current == null ? 0 : current.intValue());
      });
  }

  private static Future<Integer> step(LedgerStore store, int current) {
    if (current >= STEPS.size()) {
      return Future.succeededFuture(current);
    }
    int next = current + 1;
    List<Statement> statements = new ArrayList<>();
    STEPS.get(current).forEach(sql -> statements.add(Statement.of(sql)));
    statements.add(Statement.of("INSERT INTO schema_version (version, epoch_ms) VALUES (?, ?) ON CONFLICT DO NOTHING",
      List.of((long) next, System.currentTimeMillis())));
    return store.batch(statements).compose(done -> step(store, next));
  }
}
