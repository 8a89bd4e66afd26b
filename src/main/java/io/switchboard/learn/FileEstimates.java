package io.switchboard.learn;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The estimates of a single instance, snapshotted to a file on a worker thread: every interval when they changed,
 * and at stop; read back at start.
 */
public final class FileEstimates implements EstimateStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileEstimates.class);

  private final SnapshotFile file;
  private final long intervalMillis;
  private long savedChanges;
  private boolean failing;

  public FileEstimates(Path path, long intervalMillis) {
    this.file = new SnapshotFile(path);
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<Map<Cell, Posterior>> load(Vertx vertx) {
    return vertx.executeBlocking(file::read);
  }

  @Override
  public Future<Void> sync(Vertx vertx, SuccessBook book) {
    long changes = book.changes();
    if (changes == savedChanges) {
      return Future.succeededFuture();
    }
    Map<Cell, Posterior> cells = book.cells();
    long now = book.now();
    return vertx.<Void>executeBlocking(() -> {
      file.write(cells, now);
      return null;
    }).onSuccess(written -> {
      savedChanges = changes;
      failing = false;
    }).onFailure(failure -> {
      if (!failing) {
        failing = true;
        LOG.warn("The learning snapshot cannot be written ({}): retrying every interval", failure.toString());
      }
    });
  }

  @Override
  public long intervalMillis() {
    return intervalMillis;
  }
}
