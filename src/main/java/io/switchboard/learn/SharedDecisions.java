package io.switchboard.learn;

import io.switchboard.classify.TaskType;
import io.switchboard.store.LuaScript;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finished decisions in Redis ({@code <prefix>learning:decision:<id>}: model, task type and tenant, expiring with
 * {@code decision_ttl_seconds}), so feedback can reach any instance, not only the one that served the request.
 * Written in batches, one script call per flush; read only for feedback an instance does not know locally. A batch
 * that cannot be written is dropped (that feedback then finds no decision elsewhere): learning never queues without
 * bound. Owned by the learner's event loop.
 */
public final class SharedDecisions {

  /** Decisions waiting for a flush beyond this many are flushed at once. */
  static final int BATCH = 256;
  private static final LuaScript REMEMBER = LuaScript.load("learning-decisions");

  /** What another instance knows of a decision. */
  record Known(String model, TaskType task, String tenant) {
  }

  private final RedisStore redis;
  private final long ttlMillis;
  private List<String> keys = new ArrayList<>();
  private List<String> values = new ArrayList<>();

  public SharedDecisions(RedisStore redis, long ttlMillis) {
    this.redis = redis;
    this.ttlMillis = ttlMillis;
  }

  void remember(Decision decision) {
    keys.add(key(decision.id));
    values.add(new JsonObject().put("model", decision.model()).put("task_type", decision.task().wireName())
      .put("tenant", decision.tenant()).encode());
    if (keys.size() >= BATCH) {
      flush();
    }
  }

  Future<Void> flush() {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>(values.size() + 1);
    args.add(Long.toString(ttlMillis));
    args.addAll(values);
    List<String> written = keys;
    keys = new ArrayList<>();
    values = new ArrayList<>();
    return redis.eval(REMEMBER, written, args).mapEmpty();
  }

  Future<Optional<Known>> lookup(String decisionId) {
    return redis.send(Request.cmd(Command.GET).arg(key(decisionId))).map(reply -> {
      if (reply == null) {
        return Optional.empty();
      }
      JsonObject json = new JsonObject(reply.toString());
      return TaskType.fromWireName(json.getString("task_type"))
        .map(task -> new Known(json.getString("model"), task, json.getString("tenant", "")));
    });
  }

  private String key(String decisionId) {
    return redis.key("learning", "decision", decisionId);
  }
}
