package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The success estimates on disk, for a gateway without a shared store: JSON, written whole to a temporary file and
 * moved over the old one, so a crash mid-write leaves the previous snapshot. Blocking: call it on a worker.
 */
final class SnapshotFile {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);
  static final String FORMAT = "switchboard-learning-v1";

  private final Path path;

  SnapshotFile(Path path) {
    this.path = path;
  }

  /** The saved estimates; none, with one log line, when the file is missing or cannot be read. */
  Map<Cell, Posterior> read() {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      LOG.info("No learning snapshot at {} yet: success estimates start from the prior", path);
      return Map.of();
    } catch (IOException e) {
      LOG.warn("Learning snapshot {} cannot be read ({}): success estimates start from the prior", path,
        e.getClass().getSimpleName());
      return Map.of();
    }
    try {
      return parse(new JsonObject(text));
    } catch (RuntimeException e) {
      LOG.warn("Learning snapshot {} is not a valid snapshot: success estimates start from the prior", path);
      return Map.of();
    }
  }

  void write(Map<Cell, Posterior> cells, long nowMillis) throws IOException {
    JsonArray estimates = new JsonArray();
    cells.forEach((cell, posterior) -> estimates.add(new JsonObject()
      .put("model", cell.model())
      .put("task_type", cell.task().wireName())
      .put("successes", posterior.successes())
      .put("failures", posterior.failures())
      .put("updated_ms", posterior.updatedMillis())));
    JsonObject snapshot = new JsonObject().put("format", FORMAT).put("saved_ms", nowMillis).put("estimates", estimates);
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve(path.getFileName() + ".tmp");
    Files.writeString(temporary, snapshot.encode(), StandardCharsets.UTF_8);
    try {
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Map<Cell, Posterior> parse(JsonObject json) {
    if (!FORMAT.equals(json.getString("format"))) {
      throw new IllegalArgumentException("not a learning snapshot");
    }
    Map<Cell, Posterior> cells = new HashMap<>();
    for (Object item : json.getJsonArray("estimates")) {
      JsonObject estimate = (JsonObject) item;
      double successes = estimate.getDouble("successes");
      double failures = estimate.getDouble("failures");
      if (!(successes >= 0 && failures >= 0 && Double.isFinite(successes + failures))) {
        throw new IllegalArgumentException("negative or infinite evidence");
      }
      // a task type this version does not know is dropped, not fatal
      TaskType.fromWireName(estimate.getString("task_type")).ifPresent(task ->
        cells.put(new Cell(estimate.getString("model"), task),
          new Posterior(successes, failures, estimate.getLong("updated_ms"))));
    }
    return cells;
  }
}
