package io.switchboard.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The ledger in one SQLite file (xerial sqlite-jdbc). JDBC blocks, so every statement runs on one dedicated worker
 * thread, in the order it was asked: one connection, no locking between writers, and never an event loop. The file
 * is in WAL mode, so a crash loses at most the last transaction and readers of the file (sqlite3, backups) do not
 * stall the gateway.
 */
public final class SqliteLedgerStore implements LedgerStore {

  /** A long batch or report may take a while; the worker is the ledger's own, so nothing else waits on it. */
  private static final long MAX_EXECUTE_SECONDS = 120;

  private final WorkerExecutor worker;
  private final Connection connection;

  private SqliteLedgerStore(WorkerExecutor worker, Connection connection) {
    this.worker = worker;
    this.connection = connection;
  }

  /** Opens (creating it and its directory when missing) the file {@code file}. */
  public static Future<LedgerStore> open(Vertx vertx, Path file) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("switchboard-ledger-" + file.toAbsolutePath(), 1,
      MAX_EXECUTE_SECONDS, TimeUnit.SECONDS);
    return worker.<LedgerStore>executeBlocking(() -> {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (java.sql.Statement pragma = connection.createStatement()) {
        pragma.execute("PRAGMA journal_mode=WAL");
        pragma.execute("PRAGMA synchronous=NORMAL");
        // 32 MiB of pages (the default is 2 MiB): the indexes of a busy day stay in memory between batches
        pragma.execute("PRAGMA cache_size=-32768");
        pragma.execute("PRAGMA busy_timeout=5000");
      }
      return new SqliteLedgerStore(worker, connection);
    }, true).onFailure(failure -> worker.close());
  }

  @Override
  public Future<List<JsonObject>> query(String sql, List<Object> params) {
    return worker.executeBlocking(() -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        bind(statement, params);
        try (ResultSet rows = statement.executeQuery()) {
          return read(rows);
        }
      }
    }, true);
  }

  @Override
  public Future<Integer> update(String sql, List<Object> params) {
    return worker.executeBlocking(() -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        bind(statement, params);
        return statement.executeUpdate();
      }
    }, true);
  }

  @Override
  public Future<Void> batch(List<Statement> statements) {
    return worker.executeBlocking(() -> {
      connection.setAutoCommit(false);
      try {
        for (Statement each : statements) {
          try (PreparedStatement prepared = connection.prepareStatement(each.sql())) {
            for (List<Object> row : each.rows()) {
              bind(prepared, row);
              prepared.addBatch();
            }
            prepared.executeBatch();
          }
        }
        connection.commit();
        return null;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }, true);
  }

  @Override
  public Future<Void> close() {
    return worker.<Void>executeBlocking(() -> {
      connection.close();
      return null;
    }, true).eventually(worker::close);
  }

  @Override
  public String backend() {
    return "sqlite";
  }

  private static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      statement.setObject(i + 1, value instanceof Boolean b ? (b ? 1L : 0L) : value);
    }
  }

  private static List<JsonObject> read(ResultSet rows) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int columns = meta.getColumnCount();
    String[] names = new String[columns];
    for (int i = 0; i < columns; i++) {
      names[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
    }
    List<JsonObject> result = new ArrayList<>();
    while (rows.next()) {
      JsonObject row = new JsonObject();
      for (int i = 0; i < columns; i++) {
        row.put(names[i], Values.normalize(rows.getObject(i + 1)));
      }
      result.add(row);
    }
    return result;
  }
}
