package io.switchboard.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.testkit.TempDirs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.switchboard.testkit.FakeProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's write buffer: batches, its bound, retries of a failing store, and draining at stop. The stuck store is
 * a test double driven by hand on the test's thread; the others are real SQLite files written from an event loop.
 */
class LedgerWriterTest {

  private static final String INSERT = "INSERT INTO budget_tracking (epoch_ms, day, scope, period, event) "
    + "VALUES (?, '2026-12-01', 'global', 'daily', 'alert')";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void a_batch_goes_when_enough_rows_wait_and_the_rest_when_drained() {
    LedgerStore store = migrated();
    LedgerWriter writer = new LedgerWriter(store, 3, 100, registry);
    onContext(() -> {
      for (long i = 0; i < 7; i++) {
        writer.add(INSERT, List.of(i));
      }
      return writer.drain();
    });

    assertThat(onContext(() -> Future.succeededFuture(writer.waiting()))).isZero();
    assertThat(await(store.query("SELECT COUNT(*) AS n FROM budget_tracking", List.of())).get(0).getLong("n"))
      .isEqualTo(7);
    assertThat(registry.get("switchboard.ledger.rows.written").counter().count()).isEqualTo(7);
    await(store.close());
  }

  @Test
  void past_its_bound_rows_are_dropped_and_counted_while_the_store_is_stuck() {
    Stalled store = new Stalled();
    LedgerWriter writer = new LedgerWriter(store, 2, 4, registry);
    for (long i = 0; i < 10; i++) {
      writer.add(INSERT, List.of(i));
    }

    assertThat(store.batches).as("one batch in flight, the next waits for it").hasSize(1);
    assertThat(writer.waiting()).isEqualTo(4);
    assertThat(registry.get("switchboard.ledger.rows.dropped").counter().count()).isEqualTo(6);

    store.batches.get(0).complete();   // the store answers again: the rows that waited go at once
    assertThat(store.batches).hasSize(2);
    store.batches.get(1).complete();
    assertThat(writer.waiting()).isZero();
    assertThat(registry.get("switchboard.ledger.rows.written").counter().count()).isEqualTo(4);
  }

  @Test
  void a_batch_the_store_keeps_refusing_is_tried_three_times_then_dropped_and_counted() {
    LedgerStore store = await(SqliteLedgerStore.open(vertx, TempDirs.fresh("writer").resolve(Ledger.SQLITE_FILE)));
    LedgerWriter writer = new LedgerWriter(store, 100, 100, registry);   // no schema: every insert fails
    onContext(() -> {
      writer.add(INSERT, List.of(1L));
      writer.add(INSERT, List.of(2L));
      return writer.drain();
    });

    assertThat(onContext(() -> Future.succeededFuture(writer.waiting()))).isZero();
    assertThat(registry.get("switchboard.ledger.write.failures").counter().count()).isEqualTo(LedgerWriter.TRIES);
    assertThat(registry.get("switchboard.ledger.rows.dropped").counter().count()).isEqualTo(2);
    await(store.close());
  }

  /** Runs {@code action} on one event loop, as the ledger verticle runs its writer, and waits for its result. */
  private <T> T onContext(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(ignored -> action.get().onComplete(result));
    return await(result.future());
  }

  private LedgerStore migrated() {
    LedgerStore store = await(SqliteLedgerStore.open(vertx, TempDirs.fresh("writer").resolve(Ledger.SQLITE_FILE)));
    await(Migrations.migrate(store));
    return store;
  }

  /** A store whose writes finish only when the test says so: a database that stopped answering. */
  private static final class Stalled implements LedgerStore {

    final List<Promise<Void>> batches = new ArrayList<>();

    @Override
    public Future<List<JsonObject>> query(String sql, List<Object> params) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Integer> update(String sql, List<Object> params) {
      return Future.succeededFuture(0);
    }

    @Override
    public Future<Void> batch(List<Statement> statements) {
      Promise<Void> promise = Promise.promise();
      batches.add(promise);
      return promise.future();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public String backend() {
      return "stalled";
    }
  }
}
