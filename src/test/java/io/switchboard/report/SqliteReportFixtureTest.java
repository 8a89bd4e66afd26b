package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.switchboard.ledger.SqliteLedgerStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The reports' hand-computed fixture on a SQLite ledger file. */
class SqliteReportFixtureTest extends ReportFixtureContract {

  @TempDir
  Path dir;

  @Override
  protected LedgerStore open(Vertx vertx) {
    return SqliteLedgerStore.open(vertx, dir.resolve("ledger.db")).await();
  }
}
