package io.switchboard.store;

import io.switchboard.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one pooled Redis client of a gateway process, shared by every store and event loop. Every call is bounded
 * by {@code redis.timeout_ms}: a frozen or unreachable Redis fails the call after that long, never hangs it, and
 * the pool opens new connections by itself once Redis answers again.
 */
public final class RedisStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  private static final long WARM_UP_MILLIS = 3_000;

  private final Redis client;
  private final RedisConfig config;

  private RedisStore(Redis client, RedisConfig config) {
    this.client = client;
    this.config = config;
  }

  public static RedisStore create(Vertx vertx, RedisConfig config) {
    int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeoutMillis());
    RedisOptions options = new RedisOptions()
      .setConnectionString(config.url())
      .setMaxPoolSize(config.maxPoolSize())
      .setMaxPoolWaiting(4 * 1024)
      .setMaxWaitingHandlers(8 * 1024)
      .setNetClientOptions(new NetClientOptions().setConnectTimeout(timeout).setTcpNoDelay(true).setTcpKeepAlive(true));
    LOG.info("Shared state in Redis at {} (keys prefixed '{}', {} ms timeout)", config.displayUrl(), config.keyPrefix(),
      config.timeoutMillis());
    return new RedisStore(Redis.createClient(vertx, options), config);
  }

  public RedisConfig config() {
    return config;
  }

  /** The key for {@code parts}, joined with ':' after the configured prefix. */
  public String key(String... parts) {
    return config.keyPrefix() + String.join(":", parts);
  }

  public Future<Response> send(Request request) {
    return client.send(request).timeout(config.timeoutMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a script by its digest, loading it when this Redis has not seen it (after a restart, say). Both round
   * trips together stay within the one timeout.
   */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return client.send(script.request(Command.EVALSHA, keys, args))
      .recover(failure -> isNoScript(failure)
        ? client.send(script.request(Command.EVAL, keys, args))
        : Future.failedFuture(failure))
      .timeout(config.timeoutMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean isNoScript(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.startsWith("NOSCRIPT");
  }

  /**
   * Opens the first connection before traffic arrives (the first one takes longer than later calls: TCP, the
   * protocol handshake, cold code). Completes either way within a few seconds; an unreachable Redis is logged,
   * not fatal, since every store has its failure policy.
   */
  public Future<Void> warmUp() {
    return client.send(Request.cmd(Command.PING)).timeout(WARM_UP_MILLIS, TimeUnit.MILLISECONDS)
      .<Void>mapEmpty()
      .otherwise(failure -> {
        LOG.warn("Redis at {} does not answer yet ({}); stores apply their failure policy until it does",
          config.displayUrl(), failure.getMessage());
        return null;
      });
  }

  public Future<Void> close() {
    return client.close();
  }
}
