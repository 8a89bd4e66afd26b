package io.switchboard.cache;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache in Redis, through two gateways that share it; and what happens while Redis does not answer. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedCacheTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String HEADER = "x-switchboard-cache";
  private static final long REDIS_TIMEOUT_MS = 300;
  private static RedisServer redis;
  private Vertx vertx;
  private Vertx otherVertx;
  private FakeProvider upstream;
  private GatewayUnderTest first;
  private TestClient one;
  private TestClient two;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void start() {
    redis.command("FLUSHALL");
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl())
      .put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", REDIS_TIMEOUT_MS));
    first = GatewayUnderTest.start(vertx, config);
    one = first.client(vertx);
    // one gateway per Vertx, as in production: two processes on one Redis
    otherVertx = Vertx.vertx();
    two = GatewayUnderTest.start(otherVertx, config.copy()).client(otherVertx);
  }

  @AfterEach
  void stop() {
    one.close();
    two.close();
    upstream.stop();
    otherVertx.close().await();
    vertx.close().await();
  }

  /** Answers are written after they are sent: wait until Redis holds {@code entries}. */
  private void awaitStored(int entries) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (cacheKeys().size() < entries && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
  }

  /** The cache's keys (budgets keep their own keys in the same Redis). */
  private static List<String> cacheKeys() {
    String keys = redis.command("KEYS", "switchboard:cache:*");
    return keys.isEmpty() ? List.of() : List.of(keys.split("\n"));
  }

  private static JsonObject deterministic(String text) {
    return Chats.chat("fake-cheap", text).put("temperature", 0);
  }

  /** Caches {@code body}'s answer, then asks again during {@code outage}: a served miss within the Redis timeout. */
  private void servedAsMissDuring(JsonObject body, Runnable outage, Runnable recovery) {
    one.post(CHAT, body);
    awaitStored(1);
    outage.run();
    TestClient.Result during;
    long millis;
    try {
      long start = System.nanoTime();
      during = one.post(CHAT, body);
      millis = (System.nanoTime() - start) / 1_000_000;
    } finally {
      recovery.run();
    }
    assertThat(during.status()).isEqualTo(200);
    assertThat(during.headers().get(HEADER)).isEqualTo("miss");
    assertThat(millis).isLessThan(REDIS_TIMEOUT_MS + 1_000);
  }

  @Test
  void an_answer_cached_through_one_gateway_is_a_hit_on_the_other() {
    TestClient.Result miss = one.post(CHAT, deterministic("hello"));
    awaitStored(1);
    TestClient.Result hit = two.post(CHAT, deterministic("hello").put("stream", true));

    assertThat(miss.headers().get(HEADER)).isEqualTo("miss");
    assertThat(hit.headers().get(HEADER)).isEqualTo("hit");
    assertThat(hit.events().get(hit.events().size() - 1)).isEqualTo("data: [DONE]");
    assertThat(upstream.attempts("fake-cheap")).hasSize(1);
  }

  @Test
  void redis_keys_hold_digests_never_the_prompt() {
    one.post(CHAT, deterministic("the purple elephant password is tangerine-4471"));
    awaitStored(1);

    assertThat(cacheKeys()).singleElement().asString().matches("switchboard:cache:[0-9a-f]{32}:[0-9a-f]{64}");
    assertThat(redis.command("KEYS", "*")).doesNotContain("purple").doesNotContain("tangerine");
  }

  @Test
  void while_redis_is_frozen_requests_are_served_as_misses_within_its_timeout_and_caching_resumes_after() {
    JsonObject body = deterministic("hello");
    servedAsMissDuring(body, redis::freeze, redis::thaw);

    assertThat(first.registry().get("switchboard.cache.requests").tag("result", "error").counter().count())
      .isEqualTo(1.0);
    assertThat(upstream.attempts("fake-cheap")).hasSize(2);

    assertThat(one.post(CHAT, body).headers().get(HEADER)).isEqualTo("hit");
    JsonObject other = deterministic("hello again");
    assertThat(one.post(CHAT, other).headers().get(HEADER)).isEqualTo("miss");
    awaitStored(2);
    assertThat(two.post(CHAT, other).headers().get(HEADER)).isEqualTo("hit");
    assertThat(upstream.attempts("fake-cheap")).hasSize(3);
  }

  @Test
  void while_redis_is_dead_requests_are_served_as_misses_and_caching_resumes_once_it_is_back() {
    JsonObject body = deterministic("hello");
    servedAsMissDuring(body, redis::kill, redis::restart);

    assertThat(upstream.attempts("fake-cheap")).hasSize(2);

    // the restarted Redis is empty: the next request is a miss that stores again, then both gateways hit
    assertThat(one.post(CHAT, body).headers().get(HEADER)).isEqualTo("miss");
    awaitStored(1);
    assertThat(two.post(CHAT, body).headers().get(HEADER)).isEqualTo("hit");
    assertThat(upstream.attempts("fake-cheap")).hasSize(3);
  }
}
