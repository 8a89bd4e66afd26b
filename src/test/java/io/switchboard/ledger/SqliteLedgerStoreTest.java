package io.switchboard.ledger;

import io.switchboard.testkit.TempDirs;
import io.vertx.core.Vertx;

import static io.switchboard.testkit.FakeProvider.await;

/** The ledger contract on a real SQLite file in a fresh directory. */
class SqliteLedgerStoreTest extends LedgerStoreContract {

  @Override
  protected LedgerStore open(Vertx vertx) {
    return await(SqliteLedgerStore.open(vertx, TempDirs.fresh("sqlite").resolve("nested").resolve(Ledger.SQLITE_FILE)));
  }
}
