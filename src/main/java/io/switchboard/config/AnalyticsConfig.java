package io.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The analytics ledger: where every decision, cost, fallback, budget and rate-limit event is kept for reports.
 *
 * @param ledger         which store: {@code sqlite} (a file under {@code dataDir}), {@code postgres} or {@code none}
 * @param dataDir        the directory of the SQLite file {@code ledger.db}
 * @param postgres       the PostgreSQL connection, when {@code ledger} is {@code postgres}
 * @param flushMillis    rows wait at most this long in memory before they are written
 * @param batchRows      a batch is written as soon as this many rows wait
 * @param bufferRows     at most this many rows wait; past it new rows are dropped (and counted) rather than
 *                       letting a slow database grow the heap
 * @param retention      rows older than this are deleted; zero keeps them forever
 * @param storePrompts   whether the last user message of each request is kept (never by default)
 * @param promptMaxChars how much of that message is kept
 * @param insights       thresholds of the reports' suggestions and alerts ({@code suggestions}, {@code alerts})
 */
public record AnalyticsConfig(Backend ledger, Path dataDir, Optional<Postgres> postgres, long flushMillis,
                              int batchRows, int bufferRows, Duration retention, boolean storePrompts,
                              int promptMaxChars, InsightsConfig insights) {

  /** The kinds of ledger store. */
  public enum Backend {
    SQLITE, POSTGRES, NONE
  }

  /**
   * @param url      {@code postgresql://user@host:port/database}; the password comes from {@code passwordEnv}
   * @param password the password read from the environment, empty when none is needed
   */
  public record Postgres(String url, String password) {

    @Override
    public String toString() {
      return "Postgres[" + url.replaceFirst("//[^@/]*@", "//***@") + "]";
    }
  }

  public boolean enabled() {
    return ledger != Backend.NONE;
  }

  static AnalyticsConfig from(ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("ledger", "data_dir", "postgres", "flush_ms", "batch_rows", "buffer_rows", "retention_days",
      "store_prompts", "prompt_max_chars", "suggestions", "alerts"));
    String kind = r.string("ledger", "sqlite");
    Backend backend;
    try {
      backend = Backend.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.key("ledger") + ": must be sqlite, postgres or none, got '" + kind + "'");
    }
    Optional<Postgres> postgres = Optional.empty();
    if (r.has("postgres") || backend == Backend.POSTGRES) {
      ConfigReader pg = r.section("postgres");
      pg.allowOnly(Set.of("url", "password_env"));
      String url = pg.requiredString("url");
      if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
        throw new ConfigException(pg.key("url") + ": must start with postgresql://");
      }
      String passwordEnv = pg.string("password_env", "SWITCHBOARD_PG_PASSWORD");
      postgres = Optional.of(new Postgres(url, env.getOrDefault(passwordEnv, "")));
    }
    int batchRows = r.intValue("batch_rows", 500, 1, 100_000);
    int bufferRows = r.intValue("buffer_rows", 50_000, 1, 10_000_000);
    if (bufferRows < batchRows) {
      throw new ConfigException(r.key("buffer_rows") + ": must be at least batch_rows (" + batchRows + ")");
    }
    return new AnalyticsConfig(backend, Path.of(r.string("data_dir", "state")), postgres,
      r.longValue("flush_ms", 200, 10, 60_000), batchRows, bufferRows,
      Duration.ofDays(r.longValue("retention_days", 90, 0, 36_500)), r.bool("store_prompts", false),
      r.intValue("prompt_max_chars", 2_000, 1, 1_000_000), InsightsConfig.from(r));
  }
}
