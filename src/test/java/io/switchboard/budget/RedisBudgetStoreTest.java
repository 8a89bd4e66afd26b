package io.switchboard.budget;

import io.switchboard.config.RedisConfig;
import io.switchboard.store.RedisStore;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedisBudgetStoreTest extends BudgetStoreContract {

  private static RedisServer redis;
  private Vertx vertx;
  private RedisStore client;
  private RedisBudgetStore store;

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
    client = RedisStore.create(vertx, new RedisConfig(redis.url(), "sb:", 1_000, 4, 1));
    store = new RedisBudgetStore(client);
  }

  @AfterEach
  void disconnect() {
    client.close().await();
    vertx.close().await();
  }

  @Override
  BudgetStore store() {
    return store;
  }

  @Override
  void passTime(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void every_key_is_prefixed_and_expires() {
    BudgetLine global = line("global", 1_000);
    store.reserve("r1", List.of(global), 10, TTL).await();
    store.settle("r1", List.of(global), 5, List.of(75)).await();
    String[] keys = redis.command("KEYS", "*").split("\n");
    assertThat(keys).allMatch(key -> key.startsWith("sb:budget:"));
    for (String key : keys) {
      assertThat(Long.parseLong(redis.command("PTTL", key))).as(key).isPositive();
    }
  }
}
