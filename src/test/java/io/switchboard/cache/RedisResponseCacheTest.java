package io.switchboard.cache;

import io.switchboard.config.RedisConfig;
import io.switchboard.store.RedisStore;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisResponseCacheTest extends ResponseCacheContract {

  private static RedisServer redis;
  private Vertx vertx;
  private RedisStore store;
  private RedisResponseCache cache;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect() {
    redis.command("FLUSHALL");
    vertx = Vertx.vertx();
    store = RedisStore.create(vertx, new RedisConfig(redis.url(), "t:", 300, 4, 1));
    cache = new RedisResponseCache(store);
  }

  @AfterEach
  void disconnect() {
    store.close().await();
    vertx.close().await();
  }

  @Override
  ResponseCache cache() {
    return cache;
  }

  @Test
  void an_entry_expires_with_its_ttl() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    cache.put(key, answer("Hello!"), Duration.ofMillis(300)).await();

    assertThat(cache.get(key).await()).isPresent();
    long ttl = Long.parseLong(redis.command("PTTL", cache.redisKey(key)));
    assertThat(ttl).isBetween(1L, 300L);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cache.get(key).await().isPresent() && System.nanoTime() < deadline) {
      vertx.timer(50).await();
    }
    assertThat(cache.get(key).await()).isEmpty();
  }

  @Test
  void keys_are_prefixed_digests_that_never_hold_prompt_or_tenant_text() {
    cache.put(CacheKey.of("key:tenant-tangerine", request("the purple elephant prompt")), answer("x"),
      HOUR).await();

    String keys = redis.command("KEYS", "*");
    assertThat(keys).matches("t:cache:[0-9a-f]{32}:[0-9a-f]{64}");
    assertThat(keys).doesNotContain("purple").doesNotContain("tangerine");
  }

  @Test
  void an_entry_that_is_not_a_cached_answer_fails_the_read() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    store.send(Request.cmd(Command.SET).arg(cache.redisKey(key)).arg(Buffer.buffer("{\"something\":\"else\"}"))).await();
    assertThatThrownBy(() -> cache.get(key).await()).isInstanceOf(IllegalArgumentException.class);

    store.send(Request.cmd(Command.SET).arg(cache.redisKey(key)).arg(Buffer.buffer("secret prompt, not JSON"))).await();
    assertThatThrownBy(() -> cache.get(key).await()).isInstanceOf(IllegalArgumentException.class)
      .hasMessageNotContaining("secret");
  }

  @Test
  void a_frozen_redis_fails_a_read_after_the_timeout() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    cache.put(key, answer("Hello!"), HOUR).await();
    redis.freeze();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> cache.get(key).await()).hasMessageContaining("Timeout");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300 + 1_000);
    } finally {
      redis.thaw();
    }
    assertThat(cache.get(key).await()).isPresent();
  }
}
