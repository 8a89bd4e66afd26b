package io.switchboard.limit;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FaultRig;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Two whole gateways configured with one Redis, as two instances behind a load balancer would be. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedRateLimitGatewayTest {

  private RedisServer redis;
  private FaultRig first;
  private FaultRig second;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    redis.close();
  }

  private static TestClient.Result chat(FaultRig rig) {
    return rig.client.post("/v1/chat/completions", Chats.chat("solo", "hi"));
  }

  @Test
  void a_model_s_limit_is_admitted_once_across_both_gateways() {
    Consumer<JsonObject> shared = config -> {
      config.getJsonObject("models").getJsonObject("solo")
        .put("limits", new JsonObject().put("requests_per_minute", 2));
      config.put("redis", new JsonObject().put("url", redis.url()).put("timeout_ms", 5_000).put("instances", 2));
    };
    first = FaultRig.start(shared);
    second = FaultRig.start(shared);

    assertThat(chat(first).status()).isEqualTo(200);
    assertThat(chat(second).status()).isEqualTo(200);
    TestClient.Result limited = chat(first);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(Long.parseLong(limited.headers().get("retry-after"))).isBetween(1L, 30L);
    assertThat(redis.command("EXISTS", "switchboard:ratelimit:{model:solo}:requests")).isEqualTo("1");
    assertThat(first.metric("switchboard.ratelimit.fallbacks", Map.of())).isZero();
    assertThat(second.metric("switchboard.ratelimit.fallbacks", Map.of())).isZero();
  }
}
