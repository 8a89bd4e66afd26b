package io.switchboard.ledger;

import io.switchboard.config.AnalyticsConfig;
import io.switchboard.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The analytics ledger of a gateway: its store, migrated to the newest schema, and its configuration. What the admin
 * API's reports read; {@link LedgerVerticle} writes it. Absent when {@code analytics.ledger} is {@code none}.
 */
public final class Ledger {

  /** The SQLite file's name under {@code analytics.data_dir}. */
  public static final String SQLITE_FILE = "ledger.db";

  private final LedgerStore store;
  private final AnalyticsConfig config;

  public Ledger(LedgerStore store, AnalyticsConfig config) {
    this.store = store;
    this.config = config;
  }

  /** Opens and migrates the configured store; empty when the ledger is off. */
  public static Future<Optional<Ledger>> open(Vertx vertx, AnalyticsConfig config) {
    Future<LedgerStore> store = switch (config.ledger()) {
      case NONE -> null;
      case SQLITE -> SqliteLedgerStore.open(vertx, config.dataDir().resolve(SQLITE_FILE));
      case POSTGRES -> Future.succeededFuture(PostgresLedgerStore.open(vertx, config.postgres()
        .orElseThrow(() -> new ConfigException("analytics.postgres: is required with ledger: postgres"))));
    };
    if (store == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return store.compose(opened -> Migrations.migrate(opened)
      .map(version -> Optional.of(new Ledger(opened, config)))
      .recover(failure -> opened.close().transform(closed -> Future.failedFuture(new IllegalStateException(
        "the analytics ledger (" + opened.backend() + ") cannot be prepared: " + failure.getMessage(), failure)))));
  }

  public LedgerStore store() {
    return store;
  }

  /** {@code sqlite} or {@code postgres}. */
  public String backend() {
    return store.backend();
  }

  public AnalyticsConfig config() {
    return config;
  }

  public Future<Void> close() {
    return store.close();
  }

  /** The UTC calendar day of an instant, as the ledger's {@code day} columns hold it: 'YYYY-MM-DD'. */
  public static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
