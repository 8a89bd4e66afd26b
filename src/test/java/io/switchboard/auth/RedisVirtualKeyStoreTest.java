package io.switchboard.auth;

import io.switchboard.config.RedisConfig;
import io.switchboard.store.RedisStore;
import io.switchboard.testkit.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RedisVirtualKeyStoreTest extends VirtualKeyStoreContract {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static RedisServer redis;
  private Vertx vertx;
  private RedisStore connection;
  private RedisVirtualKeyStore store;
  private String prefix;

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
    prefix = "t" + TESTS.incrementAndGet() + ":";   // each test its own keys
    connection = RedisStore.create(vertx, new RedisConfig(redis.url(), prefix, 2_000, 4, 1));
    store = new RedisVirtualKeyStore(connection);
  }

  @AfterEach
  void disconnect() {
    connection.close().await();
    vertx.close().await();
  }

  @Override
  VirtualKeyStore store() {
    return store;
  }

  @Test
  void keys_live_under_the_prefix_as_documented() {
    VirtualKey key = key(KeySecrets.newId(), 0);
    String digest = KeySecrets.hash(KeySecrets.newSecret());

    store.create(key, digest).await();

    assertThat(redis.command("HGET", prefix + "vkeys", key.id())).isEqualTo(digest);
    assertThat(redis.command("SISMEMBER", prefix + "vkeys:active", key.id())).isEqualTo("1");
    assertThat(redis.command("HGET", prefix + "vkey:" + digest, "meta")).contains(key.id()).contains("alice");
  }

  @Test
  void answers_and_timeouts_arrive_on_the_callers_event_loop() throws Exception {
    String digest = KeySecrets.hash(KeySecrets.newSecret());
    store.create(key(KeySecrets.newId(), 0), digest).await();
    Context caller = vertx.getOrCreateContext();

    CompletableFuture<Boolean> found = new CompletableFuture<>();
    caller.runOnContext(v -> store.findByHash(digest)
      .onComplete(answer -> found.complete(answer.succeeded() && Vertx.currentContext() == caller)));
    assertThat(found.get(10, TimeUnit.SECONDS)).isTrue();

    redis.freeze();
    try {
      CompletableFuture<Boolean> timedOut = new CompletableFuture<>();
      caller.runOnContext(v -> store.findByHash(digest)
        .onComplete(answer -> timedOut.complete(answer.failed() && Vertx.currentContext() == caller)));
      assertThat(timedOut.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      redis.thaw();
    }
  }
}
