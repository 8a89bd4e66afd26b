package io.switchboard.store;

import io.switchboard.config.RedisConfig;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisStoreTest {

  private static final LuaScript ADD = LuaScript.load("incr-by-arg");
  private static RedisServer redis;
  private Vertx vertx;
  private RedisStore store;

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
    vertx = Vertx.vertx();
    store = RedisStore.create(vertx, new RedisConfig(redis.url(), "t:", 300, 4, 1));
    store.warmUp().await();
  }

  @AfterEach
  void disconnect() {
    store.close().await();
    vertx.close().await();
  }

  @Test
  void scripts_run_by_digest_and_are_loaded_again_after_a_flush() {
    String key = store.key("counter", "a");
    assertThat(store.eval(ADD, List.of(key), List.of("5")).await().toLong()).isEqualTo(5);
    redis.command("SCRIPT", "FLUSH");
    assertThat(store.eval(ADD, List.of(key), List.of("2")).await().toLong()).isEqualTo(7);
    assertThat(redis.command("GET", "t:counter:a")).isEqualTo("7");
  }

  @Test
  void a_frozen_redis_fails_calls_after_the_timeout_and_answers_again_when_thawed() {
    store.send(Request.cmd(Command.PING)).await();
    redis.freeze();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.send(Request.cmd(Command.PING)).await()).hasMessageContaining("Timeout");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300 + 1_000);
    } finally {
      redis.thaw();
    }
    assertThat(store.send(Request.cmd(Command.PING)).await().toString()).isEqualTo("PONG");
  }

  @Test
  void a_killed_redis_fails_calls_quickly_and_a_restarted_one_is_used_without_a_new_client() {
    store.send(Request.cmd(Command.PING)).await();
    redis.kill();
    assertThatThrownBy(() -> store.send(Request.cmd(Command.PING)).await()).isNotNull();
    redis.restart();
    assertThat(store.eval(ADD, List.of(store.key("after-restart")), List.of("1")).await().toLong()).isEqualTo(1);
  }
}
