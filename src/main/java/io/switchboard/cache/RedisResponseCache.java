package io.switchboard.cache;

import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.Optional;

/**
 * Cached answers shared by every gateway on one Redis, under {@code <prefix>cache:<tenant digest>:<request digest>}
 * with Redis's own expiry. Each call is one round trip bounded by {@code redis.timeout_ms}.
 */
public final class RedisResponseCache implements ResponseCache {

  private final RedisStore store;

  public RedisResponseCache(RedisStore store) {
    this.store = store;
  }

  @Override
  public Future<Optional<CachedAnswer>> get(CacheKey key) {
    return store.send(Request.cmd(Command.GET).arg(redisKey(key)))
      .map(reply -> reply == null ? Optional.empty() : Optional.of(CachedAnswer.fromBuffer(reply.toBuffer())));
  }

  @Override
  public Future<Void> put(CacheKey key, CachedAnswer answer, Duration ttl) {
    return store.send(Request.cmd(Command.SET).arg(redisKey(key)).arg(answer.toBuffer()).arg("PX").arg(ttl.toMillis()))
      .mapEmpty();
  }

  String redisKey(CacheKey key) {
    return store.key("cache", key.scope(), key.digest());
  }
}
