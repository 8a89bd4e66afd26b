package io.switchboard.ledger;

import io.switchboard.config.AnalyticsConfig;
import io.switchboard.testkit.PostgresServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ledger contract of the gateway with {@code ledger: postgres}, on a real server, a fresh database each test. */
class PostgresLedgerGatewayTest extends LedgerGatewayContract {

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
  protected void useStore(JsonObject config) {
    JsonObject analytics = config.getJsonObject("analytics", new JsonObject());
    analytics.remove("data_dir");
    config.put("analytics", analytics.put("ledger", "postgres")
      .put("postgres", new JsonObject().put("url", server.createDatabase())));
  }

  @Override
  protected LedgerStore reopen(Vertx vertx, JsonObject config) {
    return PostgresLedgerStore.open(vertx, new AnalyticsConfig.Postgres(
      config.getJsonObject("analytics").getJsonObject("postgres").getString("url"), ""));
  }
}
