package io.switchboard.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Where the ledger's rows live: SQLite ({@link SqliteLedgerStore}) or PostgreSQL ({@link PostgresLedgerStore}), the
 * same schema in both ({@link Migrations}). Callers write portable SQL with {@code ?} placeholders and no date
 * functions (times are epoch-millisecond columns plus a UTC {@code day} column 'YYYY-MM-DD'). Rows come back keyed
 * by lower-case column name, whole numbers as {@link Long}, others as {@link Double}. Never blocks the caller.
 */
public interface LedgerStore {

  /** The rows a query returns. */
  Future<List<JsonObject>> query(String sql, List<Object> params);

  /** Runs one statement; the rows it changed. */
  Future<Integer> update(String sql, List<Object> params);

  /** Runs every statement, each with each of its rows of parameters, in one transaction: all or nothing. */
  Future<Void> batch(List<Statement> statements);

  /** Finishes what was asked before, then releases the connection(s). */
  Future<Void> close();

  /** {@code sqlite} or {@code postgres}. */
  String backend();
}
