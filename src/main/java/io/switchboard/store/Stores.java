package io.switchboard.store;

import io.switchboard.auth.MemoryVirtualKeyStore;
import io.switchboard.auth.RedisVirtualKeyStore;
import io.switchboard.auth.VirtualKeyStore;
import io.switchboard.budget.BudgetStore;
import io.switchboard.budget.MemoryBudgetStore;
import io.switchboard.budget.RedisBudgetStore;
import io.switchboard.cache.MemoryResponseCache;
import io.switchboard.cache.RedisResponseCache;
import io.switchboard.cache.ResponseCache;
import io.switchboard.config.CacheConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ResponsesConfig;
import io.switchboard.config.SessionsConfig;
import io.switchboard.responses.MemoryResponseStore;
import io.switchboard.responses.RedisResponseStore;
import io.switchboard.responses.ResponseStore;
import io.switchboard.session.MemorySessionStore;
import io.switchboard.session.RedisSessionStore;
import io.switchboard.session.SessionPins;
import io.switchboard.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Optional;

/**
 * The state a gateway process shares with its peers, created once per process and handed to every verticle that
 * needs it: with a {@code redis} section every store lives in that Redis, without one in this process's memory.
 */
public final class Stores {

  private final Optional<RedisStore> redis;
  private final BudgetStore budgets;
  private final VirtualKeyStore virtualKeys;
  private final ResponseCache cache;
  private final ResponseStore responses;
  private final SessionPins sessions;

  private Stores(Optional<RedisStore> redis, CacheConfig cache, ResponsesConfig responses, SessionsConfig sessions) {
    this.redis = redis;
    this.budgets = redis.<BudgetStore>map(RedisBudgetStore::new).orElseGet(MemoryBudgetStore::new);
    this.virtualKeys = redis.<VirtualKeyStore>map(RedisVirtualKeyStore::new).orElseGet(MemoryVirtualKeyStore::new);
    this.cache = redis.<ResponseCache>map(RedisResponseCache::new)
      .orElseGet(() -> new MemoryResponseCache(cache.maxEntries(), cache.maxBytes()));
    this.responses = redis.<ResponseStore>map(store -> new RedisResponseStore(store, responses))
      .orElseGet(() -> new MemoryResponseStore(responses));
    SessionStore sessionStore = redis.<SessionStore>map(r -> new RedisSessionStore(r, sessions.ttlSeconds()))
      .orElseGet(() -> new MemorySessionStore(sessions.ttlSeconds(), sessions.maxSessions(), System::nanoTime));
    this.sessions = new SessionPins(sessionStore, sessions);
  }

  public static Stores create(Vertx vertx, GatewayConfig config) {
    return new Stores(config.redis().map(redisConfig -> RedisStore.create(vertx, redisConfig)), config.cache(),
      config.responses(), config.sessions());
  }

  /** The response cache: in Redis when configured, else in this process's memory. */
  public ResponseCache cache() {
    return cache;
  }

  /** Stored responses of the Responses API: in Redis when configured, else in this process's memory. */
  public ResponseStore responses() {
    return responses;
  }

  /** Session pins: in Redis when configured, else in this process's memory. */
  public SessionPins sessions() {
    return sessions;
  }

  public BudgetStore budgets() {
    return budgets;
  }

  public VirtualKeyStore virtualKeys() {
    return virtualKeys;
  }

  /** The shared Redis, when configured. */
  public Optional<RedisStore> redis() {
    return redis;
  }

  /** Completes once the shared store answered, or was found unreachable (see {@link RedisStore#warmUp}). */
  public Future<Void> warmUp() {
    return redis.map(RedisStore::warmUp).orElse(Future.succeededFuture());
  }

  public Future<Void> close() {
    return redis.map(RedisStore::close).orElse(Future.succeededFuture());
  }
}
