package io.switchboard.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects rows in memory and writes them in batches, one transaction at a time, so the request path never waits
 * on the database: a batch goes when {@code batchRows} rows wait or when its owner's timer says so. At most
 * {@code bufferRows} rows wait; past that, new rows are dropped and counted ({@code switchboard_ledger_rows_dropped_total},
 * logged once) rather than letting a slow or absent database grow the heap. A batch that fails is tried again with
 * the next one, {@link #TRIES} times in all. Not thread-safe: its owner calls it from one event loop.
 */
final class LedgerWriter {

  static final int TRIES = 3;
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);

  private final LedgerStore store;
  private final int batchRows;
  private final int bufferRows;
  private final Counter written;
  private final Counter dropped;
  private final Counter failures;
  private Map<String, List<List<Object>>> pending = new LinkedHashMap<>();
  private int pendingRows;
  private final Deque<Retry> retries = new ArrayDeque<>();
  private Future<Void> inFlight;
  private int inFlightRows;
  private boolean warnedFull;

  private record Retry(List<Statement> statements, int rows, int tries) {
  }

  LedgerWriter(LedgerStore store, int batchRows, int bufferRows, MeterRegistry registry) {
    this.store = store;
    this.batchRows = batchRows;
    this.bufferRows = bufferRows;
    this.written = Counter.builder("switchboard.ledger.rows.written")
      .description("Rows the analytics ledger wrote to its store").register(registry);
    this.dropped = Counter.builder("switchboard.ledger.rows.dropped")
      .description("Rows the analytics ledger dropped: its buffer was full or its store kept failing")
      .register(registry);
    this.failures = Counter.builder("switchboard.ledger.write.failures")
      .description("Batches the analytics ledger's store refused (each is tried again, a few times)")
      .register(registry);
  }

  /** Queues one row of {@code sql}; starts a batch when enough wait. */
  void add(String sql, List<Object> row) {
    if (waiting() >= bufferRows) {
      dropped.increment();
      if (!warnedFull) {
        warnedFull = true;
        LOG.warn("Analytics ledger buffer full ({} rows): rows are dropped until the store catches up", bufferRows);
      }
      return;
    }
    pending.computeIfAbsent(sql, s -> new ArrayList<>()).add(Statement.unmodifiable(row));
    pendingRows++;
    if (pendingRows >= batchRows) {
      flush();
    }
  }

  /** Rows in memory: waiting, being written, or to be tried again. */
  int waiting() {
    int retrying = 0;
    for (Retry retry : retries) {
      retrying += retry.rows;
    }
    return pendingRows + inFlightRows + retrying;
  }

  /** Writes what waits, unless a batch is already being written (its end starts the next). */
  Future<Void> flush() {
    if (inFlight != null) {
      return inFlight;
    }
    Retry batch = next();
    if (batch == null) {
      return Future.succeededFuture();
    }
    // marked busy before the store is asked: a store that answers at once completes the chain below right here
    Promise<Void> done = Promise.promise();
    inFlight = done.future();
    inFlightRows = batch.rows;
    store.batch(batch.statements).onComplete(result -> {
      if (result.succeeded()) {
        written.increment(batch.rows);
        warnedFull = false;
      } else {
        failures.increment();
        if (batch.tries + 1 < TRIES) {
          retries.addFirst(new Retry(batch.statements, batch.rows, batch.tries + 1));
        } else {
          dropped.increment(batch.rows);
          LOG.warn("Analytics ledger lost {} rows after {} failed writes: {}", batch.rows, TRIES,
            result.cause().toString());
        }
      }
      inFlight = null;
      inFlightRows = 0;
      done.complete();
      if (pendingRows >= batchRows) {
        flush();
      }
    });
    return done.future();
  }

  /** Writes until nothing waits (or what is left failed {@link #TRIES} times): for a stop that loses nothing. */
  Future<Void> drain() {
    Future<Void> running = inFlight != null ? inFlight : Future.succeededFuture();
    return running.compose(done -> waiting() == 0 ? Future.succeededFuture() : flush().compose(next -> drain()));
  }

  private Retry next() {
    if (!retries.isEmpty()) {
      return retries.pollFirst();
    }
    if (pendingRows == 0) {
      return null;
    }
    List<Statement> statements = new ArrayList<>(pending.size());
    pending.forEach((sql, rows) -> statements.add(new Statement(sql, rows)));
    Retry batch = new Retry(statements, pendingRows, 0);
    pending = new LinkedHashMap<>();
    pendingRows = 0;
    return batch;
  }
}
