package io.switchboard.report;

import io.switchboard.ledger.LedgerStore;
import io.switchboard.ledger.Migrations;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's tables as they are: {@code GET /admin/reports/export} (one table's rows of a period, JSON or CSV)
 * and {@code POST /admin/reports/reset} (every table emptied; the schema and its version stay).
 */
final class LedgerTables {

  private final LedgerStore store;

  LedgerTables(LedgerStore store) {
    this.store = store;
  }

  /** A file to download: its name, media type and content. */
  record Download(String fileName, String contentType, Buffer content) {
  }

  Future<Download> export(ReportPeriod period, String table, String format) {
    String chosenTable = table == null ? "cost_tracking" : table;
    String chosenFormat = format == null ? "json" : format;
    if (!Migrations.TABLES.contains(chosenTable)) {
      throw ApiError.invalid("invalid_value", "table", "table must be one of " + String.join(", ", Migrations.TABLES))
        .exception();
    }
    if (!chosenFormat.equals("json") && !chosenFormat.equals("csv")) {
      throw ApiError.invalid("invalid_value", "format", "format must be json or csv").exception();
    }
    String order = chosenTable.equals("model_performance") ? "day, model, task_type" : "epoch_ms";
    String name = chosenTable + "-" + (period.name().equals("all") ? "all" : period.fromDay() + "-" + period.toDay());
    // an empty period still names its columns: they come from the schema
    return store.query("SELECT * FROM " + chosenTable + " WHERE day >= ? AND day <= ? ORDER BY " + order,
        List.of(period.fromDay(), period.toDay()))
      .map(rows -> new Rows(rows.isEmpty() ? Migrations.columns(chosenTable) : columns(rows), rows))
      .map(rows -> chosenFormat.equals("csv")
        ? new Download(name + ".csv", "text/csv; charset=utf-8", Csv.write(rows.columns, rows.rows))
        : new Download(name + ".json", "application/json", new JsonObject()
          .put("table", chosenTable).put("period", period.toJson())
          .put("columns", new JsonArray(new ArrayList<>(rows.columns)))
          .put("rows", new JsonArray(new ArrayList<>(rows.rows))).toBuffer()));
  }

  /** Deletes every row of every ledger table; the rows each had. */
  Future<JsonObject> reset() {
    JsonObject deleted = new JsonObject();
    Future<Void> chain = Future.succeededFuture();
    for (String table : Migrations.TABLES) {
      chain = chain.compose(done -> store.update("DELETE FROM " + table, List.of())
        .map(count -> {
          deleted.put(table, count.longValue());
          return null;
        }));
    }
    return chain.map(done -> new JsonObject().put("reset", true).put("deleted", deleted));
  }

  private record Rows(List<String> columns, List<JsonObject> rows) {
  }

  private static List<String> columns(List<JsonObject> rows) {
    return List.copyOf(rows.get(0).fieldNames());
  }
}
