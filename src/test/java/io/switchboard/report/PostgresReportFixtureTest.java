package io.switchboard.report;

import io.switchboard.config.AnalyticsConfig;
import io.switchboard.ledger.LedgerStore;
import io.switchboard.ledger.PostgresLedgerStore;
import io.switchboard.testkit.PostgresServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The reports' hand-computed fixture on a real PostgreSQL server, a fresh database for each test. */
class PostgresReportFixtureTest extends ReportFixtureContract {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.startOrSkip();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected LedgerStore open(Vertx vertx) {
    return PostgresLedgerStore.open(vertx, new AnalyticsConfig.Postgres(server.createDatabase(), ""));
  }
}
