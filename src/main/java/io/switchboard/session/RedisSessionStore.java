package io.switchboard.session;

import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Session facts in the shared Redis, so every gateway sees the same pins: keys {@code <prefix>session:<key>},
 * written with a TTL in milliseconds. Every call is bounded by {@code redis.timeout_ms} (see {@link RedisStore}).
 */
public final class RedisSessionStore implements SessionStore {

  private final RedisStore redis;
  private final String ttlMillis;

  public RedisSessionStore(RedisStore redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlMillis = Long.toString(ttlSeconds * 1_000);
  }

  @Override
  public Future<List<String>> get(List<String> keys) {
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(key -> mget.arg(redis.key("session", key)));
    return redis.send(mget).map(response -> {
      List<String> values = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        Response value = response == null ? null : response.get(i);
        values.add(value == null ? null : value.toString());
      }
      return values;
    });
  }

  @Override
  public void put(String key, String value) {
    redis.send(Request.cmd(Command.SET).arg(redis.key("session", key)).arg(value).arg("PX").arg(ttlMillis));
  }

  @Override
  public void putIfAbsent(String key, String value) {
    redis.send(Request.cmd(Command.SET).arg(redis.key("session", key)).arg(value).arg("NX").arg("PX").arg(ttlMillis));
  }
}
