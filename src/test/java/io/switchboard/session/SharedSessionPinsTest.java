package io.switchboard.session;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
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

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Session pins in Redis, shared by two gateways; and routing while Redis does not answer. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedSessionPinsTest {

  private static final long REDIS_TIMEOUT_MS = 300;
  private static RedisServer redis;
  private Vertx vertx;
  private Vertx otherVertx;
  private FakeProvider upstream;
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
    JsonObject config = ClaudeCodeRig.config(upstream.baseUrl())
      .put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", REDIS_TIMEOUT_MS));
    one = GatewayUnderTest.start(vertx, config).client(vertx);
    otherVertx = Vertx.vertx();
    two = GatewayUnderTest.start(otherVertx, config.copy()).client(otherVertx);
  }

  @AfterEach
  void stop() {
    redis.thaw();
    one.close();
    two.close();
    upstream.stop();
    otherVertx.close().await();
    vertx.close().await();
  }

  private static TestClient.Result chat(TestClient client, JsonObject body) {
    TestClient.Result result = client.post("/v1/chat/completions", body);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result;
  }

  @Test
  void a_pin_set_through_one_gateway_holds_on_the_other() {
    assertThat(chat(one, SessionPinningTest.conversation("pinned", 1)).headers().get("x-switchboard-model"))
      .isEqualTo("fake-a");
    String keys = redis.command("KEYS", "*session:*");
    assertThat(keys).as("pins are kept as digests, with a TTL").contains("session:pin:");
    String pinKey = Arrays.stream(keys.split("\\s+")).filter(k -> k.contains("session:pin:")).findFirst().orElseThrow();
    assertThat(Long.parseLong(redis.command("PTTL", pinKey).trim())).isBetween(1L, 300_000L);
    assertThat(redis.command("GET", pinKey)).contains("fake-a").doesNotContain("billing");

    TestClient.Result second = chat(two, SessionPinningTest.conversation("pinned", 2));
    assertThat(second.headers().get("x-switchboard-task-type")).isEqualTo("debugging");
    assertThat(second.headers().get("x-switchboard-model")).isEqualTo("fake-a");
    assertThat(second.headers().get("x-switchboard-reasons")).contains("pinned to 'fake-a'");
  }

  @Test
  void a_frozen_redis_routes_unpinned_and_still_answers() {
    chat(one, SessionPinningTest.conversation("pinned", 1));
    redis.freeze();
    TestClient.Result frozen = chat(two, SessionPinningTest.conversation("pinned", 2));
    assertThat(frozen.headers().get("x-switchboard-model")).as("the policy's own choice").isEqualTo("fake-b");
    assertThat(frozen.headers().get("x-switchboard-reasons")).doesNotContain("pinned to").doesNotContain("session");
    redis.thaw();
    // the pin write made while frozen may land after the thaw: either model is the session's now, and pins work again
    assertThat(chat(two, SessionPinningTest.conversation("pinned", 4)).headers().get("x-switchboard-reasons"))
      .containsPattern("session stays on 'fake-[ab]'|pinned to 'fake-[ab]'");
  }
}
