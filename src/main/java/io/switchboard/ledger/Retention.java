package io.switchboard.ledger;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/** Deletes the ledger's rows older than a cut-off: by time where a table has one, by day for the daily rollup. */
public final class Retention {

  private Retention() {
  }

  /** The rows deleted from every ledger table, older than {@code cutoffMillis}. */
  public static Future<Integer> delete(LedgerStore store, long cutoffMillis) {
    List<Future<Integer>> deletes = new ArrayList<>();
    for (String table : Migrations.TABLES) {
      deletes.add(table.equals("model_performance")
        ? store.update("DELETE FROM model_performance WHERE day < ?", List.of(Ledger.day(cutoffMillis)))
        : store.update("DELETE FROM " + table + " WHERE epoch_ms < ?", List.of(cutoffMillis)));
    }
    return Future.all(deletes).map(all -> deletes.stream().mapToInt(Future::result).sum());
  }
}
