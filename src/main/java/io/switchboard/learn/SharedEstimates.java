package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.store.LuaScript;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The estimates of every instance sharing one Redis, in one hash ({@code <prefix>learning:estimates}). Each instance
 * learns locally at once and, every refresh interval, sends the observations it made since (one script, which
 * decays and adds per estimate) and reads everyone's back. Routers never wait on Redis: they read the local book.
 * While Redis fails, observations wait in memory (one entry per model and task type) and are sent once it answers.
 * Owned by the learner's event loop.
 */
public final class SharedEstimates implements EstimateStore {

  private static final Logger LOG = LoggerFactory.getLogger(SharedEstimates.class);
  private static final LuaScript ADD = LuaScript.load("learning-add");

  private final RedisStore redis;
  private final String key;
  private final long halfLifeMillis;
  private final long intervalMillis;
  /** Observations not yet in Redis, summed per estimate (decayed to their latest time; may be negative). */
  private Map<Cell, Posterior> pending = new HashMap<>();
  private boolean failing;

  public SharedEstimates(RedisStore redis, long halfLifeMillis, long intervalMillis) {
    this.redis = redis;
    this.key = redis.key("learning", "estimates");
    this.halfLifeMillis = Math.max(1, halfLifeMillis);
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<Map<Cell, Posterior>> load(Vertx vertx) {
    return read().otherwise(failure -> {
      LOG.warn("Shared success estimates cannot be read yet ({}): starting from the prior", failure.toString());
      return Map.of();
    });
  }

  @Override
  public void observed(Cell cell, double success, double failure, long nowMillis) {
    pending.compute(cell, (c, old) -> {
      Posterior base = old == null ? new Posterior(0, 0, nowMillis) : old.decayedTo(nowMillis, halfLifeMillis);
      return new Posterior(base.successes() + success, base.failures() + failure, base.updatedMillis());
    });
  }

  @Override
  public Future<Void> sync(Vertx vertx, SuccessBook book) {
    Map<Cell, Posterior> sending = pending;
    pending = new HashMap<>();
    Future<Void> sent = sending.isEmpty() ? Future.succeededFuture() : send(sending).recover(failure -> {
      sending.forEach((cell, delta) -> observed(cell, delta.successes(), delta.failures(), delta.updatedMillis()));
      return Future.failedFuture(failure);
    });
    return sent.compose(done -> read()).map(shared -> {
      book.replaceAll(shared);
      // what was observed while Redis was asked is not in its answer yet
      pending.forEach((cell, delta) -> book.observe(cell.model(), cell.task(), delta.successes(), delta.failures()));
      if (failing) {
        failing = false;
        LOG.info("Shared success estimates are in sync with Redis again");
      }
      return (Void) null;
    }).onFailure(failure -> {
      if (!failing) {
        failing = true;
        LOG.warn("Shared success estimates cannot reach Redis ({}): learning locally until it answers",
          failure.toString());
      }
    });
  }

  @Override
  public long intervalMillis() {
    return intervalMillis;
  }

  private Future<Void> send(Map<Cell, Posterior> deltas) {
    List<String> args = new ArrayList<>(1 + 4 * deltas.size());
    args.add(Long.toString(halfLifeMillis));
    deltas.forEach((cell, delta) -> {
      args.add(cell.model() + "|" + cell.task().wireName());
      args.add(Double.toString(delta.successes()));
      args.add(Double.toString(delta.failures()));
      args.add(Long.toString(delta.updatedMillis()));
    });
    return redis.eval(ADD, List.of(key), args).mapEmpty();
  }

  private Future<Map<Cell, Posterior>> read() {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).map(reply -> {
      Map<Cell, Posterior> read = new HashMap<>();
      if (reply != null) {
        for (String field : reply.getKeys()) {
          parse(field, reply.get(field)).ifPresent(entry -> read.put(entry.cell(), entry.posterior()));
        }
      }
      return read;
    });
  }

  private record Entry(Cell cell, Posterior posterior) {
  }

  /** A field this version cannot read (an unknown task type, say) is skipped. */
  private static Optional<Entry> parse(String field, Response value) {
    int bar = field.lastIndexOf('|');
    String[] parts = value == null ? new String[0] : value.toString().split(":");
    Optional<TaskType> task = bar < 1 ? Optional.empty() : TaskType.fromWireName(field.substring(bar + 1));
    if (task.isEmpty() || parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Entry(new Cell(field.substring(0, bar), task.get()), new Posterior(
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), (long) Double.parseDouble(parts[2]))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
