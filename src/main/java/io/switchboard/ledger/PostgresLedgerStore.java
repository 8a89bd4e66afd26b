package io.switchboard.ledger;

import io.switchboard.config.AnalyticsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ledger in PostgreSQL (vertx-pg-client, non-blocking), for gateways that share one ledger. Callers' {@code ?}
 * placeholders become {@code $1..$n}.
 */
public final class PostgresLedgerStore implements LedgerStore {

  private static final int POOL_SIZE = 4;

  private final Pool pool;

  private PostgresLedgerStore(Pool pool) {
    this.pool = pool;
  }

  /** A pool for {@code config}; the first statement opens the first connection. */
  public static LedgerStore open(Vertx vertx, AnalyticsConfig.Postgres config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url().replaceFirst("^postgres://", "postgresql://"));
    // the server's notices (a DROP ... IF EXISTS that skipped) are not worth a log line each
    options.addProperty("client_min_messages", "warning");
    if (!config.password().isEmpty()) {
      options.setPassword(config.password());
    }
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(POOL_SIZE)).connectingTo(options).using(vertx)
      .build();
    return new PostgresLedgerStore(pool);
  }

  @Override
  public Future<List<JsonObject>> query(String sql, List<Object> params) {
    return pool.preparedQuery(placeholders(sql)).execute(tuple(params)).map(PostgresLedgerStore::read);
  }

  @Override
  public Future<Integer> update(String sql, List<Object> params) {
    return pool.preparedQuery(placeholders(sql)).execute(tuple(params)).map(RowSet::rowCount);
  }

  @Override
  public Future<Void> batch(List<Statement> statements) {
    return pool.withTransaction(connection -> run(connection, statements, 0));
  }

  private static Future<Void> run(SqlConnection connection, List<Statement> statements, int index) {
    if (index == statements.size()) {
      return Future.succeededFuture();
    }
    Statement statement = statements.get(index);
    Future<?> done;
    if (statement.rows().size() == 1 && statement.rows().get(0).isEmpty()) {
      done = connection.query(statement.sql()).execute();   // DDL and the like: the simple protocol
    } else {
      done = connection.preparedQuery(placeholders(statement.sql()))
        .executeBatch(statement.rows().stream().map(PostgresLedgerStore::tuple).toList());
    }
    return done.compose(ok -> run(connection, statements, index + 1));
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  @Override
  public String backend() {
    return "postgres";
  }

  /** {@code ?} → {@code $n}, except inside string literals. */
  static String placeholders(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    boolean quoted = false;
    int n = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      if (c == '?' && !quoted) {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Tuple tuple(List<Object> params) {
    Tuple tuple = Tuple.tuple();
    for (Object value : params) {
      tuple.addValue(value instanceof Boolean b ? (Object) (b ? 1L : 0L) : value);
    }
    return tuple;
  }

  private static List<JsonObject> read(RowSet<Row> rows) {
    List<JsonObject> result = new ArrayList<>(rows.size());
    for (Row row : rows) {
      JsonObject json = new JsonObject();
      for (int i = 0; i < row.size(); i++) {
        Object value = row.getValue(i);
        if (value instanceof Numeric numeric) {
          // NUMERIC (what SUM of a BIGINT and decimal arithmetic give): NaN has no BigDecimal
          value = numeric.isNaN() ? (Object) Double.NaN : numeric.bigDecimalValue();
        }
        json.put(row.getColumnName(i).toLowerCase(Locale.ROOT), Values.normalize(value));
      }
      result.add(json);
    }
    return result;
  }
}
