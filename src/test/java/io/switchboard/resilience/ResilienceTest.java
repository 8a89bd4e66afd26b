package io.switchboard.resilience;

import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.FaultRig;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries, breakers, rate limits and key pools, each against the real gateway and a fake provider on 127.0.0.1. */
class ResilienceTest {

  private static final String CHAT = "/v1/chat/completions";

  private FaultRig rig;

  @AfterEach
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private FaultRig start(Consumer<JsonObject> tweak) {
    rig = FaultRig.start(tweak);
    return rig;
  }

  private TestClient.Result chat(String model) {
    return rig.client.post(CHAT, Chats.chat(model, "hi"));
  }

  @Test
  void a_client_error_from_the_provider_is_never_retried_nor_failed_over() {
    start(config -> { });
    rig.upstream.on("primary", Behaviour.error(400, "context_length_exceeded", "too long"));

    TestClient.Result result = chat("primary");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("code")).isEqualTo("context_length_exceeded");
    assertThat(rig.upstream.attempts()).hasSize(1);
  }

  @Test
  void a_retry_after_longer_than_the_ceiling_fails_over_at_once() {
    start(config -> { });
    rig.upstream.on("primary", Behaviour.error(429, "rate_limit_exceeded", "later")
      .withHeaders(Map.of("Retry-After", "30")));
    long start = System.nanoTime();

    TestClient.Result result = chat("primary");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("backup");
    assertThat(result.headers().get("x-switchboard-attempts")).isEqualTo("2");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(30_000);
  }

  @Test
  void with_nowhere_left_to_go_a_rate_limited_provider_gives_429_with_its_retry_after() {
    start(config -> { });
    rig.upstream.on("solo", Behaviour.error(429, "rate_limit_exceeded", "later").withHeaders(Map.of("Retry-After", "30")));

    TestClient.Result result = chat("solo");

    assertThat(result.status()).isEqualTo(429);
    assertThat(result.error().getString("code")).isEqualTo("upstream_rate_limited");
    assertThat(result.headers().get("retry-after")).isEqualTo("30");
    assertThat(rig.upstream.attempts()).hasSize(1);
  }

  @Test
  void a_client_that_leaves_during_a_retry_wait_gets_no_further_attempts() throws InterruptedException {
    start(config -> { });
    rig.upstream.on("primary", Behaviour.error(503, "overloaded", "busy").withHeaders(Map.of("Retry-After", "2")));
    HttpClient http = rig.vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
      .setPort(rig.gateway.port()).setURI(CHAT).addHeader("content-type", "application/json");
    rig.vertx.runOnContext(v -> http.request(options).onSuccess(req -> {
      req.send(Chats.chat("primary", "hi").toBuffer());
      rig.vertx.setTimer(300, t -> req.connection().close());
    }));

    Thread.sleep(3_000);

    assertThat(rig.upstream.attempts()).extracting(Attempt::model).containsExactly("primary");
    http.close();
  }

  @Test
  void a_failing_model_opens_its_breaker_then_one_probe_closes_it_when_it_recovers() throws Exception {
    start(config -> config.getJsonObject("resilience").put("max_attempts", 1)
      .put("breaker", new JsonObject().put("failures", 3).put("open_ms", 1_000)));
    rig.upstream.on("primary", Behaviour.error(503, "overloaded", "down"));
    Map<String, String> primary = Map.of("model", "primary");

    for (int i = 0; i < 3; i++) {
      assertThat(chat("primary").headers().get("x-switchboard-model")).isEqualTo("backup");
    }
    assertThat(rig.metric("switchboard.breaker.state", primary)).as("open").isEqualTo(2.0);

    TestClient.Result whileOpen = chat("primary");
    assertThat(whileOpen.headers().get("x-switchboard-model")).isEqualTo("backup");
    assertThat(whileOpen.headers().get("x-switchboard-attempts")).as("the open model is not called").isEqualTo("1");
    assertThat(rig.upstream.attempts("primary")).hasSize(3);

    rig.upstream.on("primary", Behaviour.ok().withHeadDelay(300));
    Thread.sleep(1_300);
    assertThat(rig.metric("switchboard.breaker.state", primary)).as("half-open").isEqualTo(1.0);
    List<Future<TestClient.Result>> concurrent = List.of(
      rig.client.sendAsync(CHAT, Chats.chat("primary", "a")), rig.client.sendAsync(CHAT, Chats.chat("primary", "b")),
      rig.client.sendAsync(CHAT, Chats.chat("primary", "c")));
    List<String> servedBy = concurrent.stream()
      .map(f -> FakeProvider.await(f).headers().get("x-switchboard-model")).toList();

    assertThat(servedBy).as("exactly one probe reaches the half-open model").containsOnlyOnce("primary")
      .containsOnly("primary", "backup");
    assertThat(rig.upstream.attempts("primary")).hasSize(4);
    assertThat(rig.metric("switchboard.breaker.state", primary)).as("closed").isEqualTo(0.0);
    assertThat(chat("primary").headers().get("x-switchboard-model")).isEqualTo("primary");
  }

  @Test
  void a_long_healthy_stream_does_not_count_against_the_breaker() {
    start(config -> config.getJsonObject("resilience").put("breaker", new JsonObject().put("failures", 1)));
    rig.upstream.on("primary", Behaviour.ok().withPieces("a", "b", "c", "d", "e").withChunkDelay(400));

    TestClient.Result result = rig.client.post(CHAT, Chats.streaming("primary", "slowly"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(rig.metric("switchboard.breaker.state", Map.of("model", "primary"))).isEqualTo(0.0);
  }

  @Test
  void a_model_at_its_rate_limit_is_routed_around_and_with_no_other_the_client_gets_429() {
    start(config -> {
      config.getJsonObject("models").getJsonObject("primary").put("limits", new JsonObject().put("requests_per_minute", 2));
      config.getJsonObject("models").getJsonObject("solo").put("limits", new JsonObject().put("requests_per_minute", 1));
    });

    assertThat(chat("primary").headers().get("x-switchboard-model")).isEqualTo("primary");
    assertThat(chat("primary").headers().get("x-switchboard-model")).isEqualTo("primary");
    TestClient.Result third = chat("primary");
    assertThat(third.headers().get("x-switchboard-model")).isEqualTo("backup");
    assertThat(third.headers().get("x-switchboard-attempts")).isEqualTo("1");
    assertThat(rig.upstream.attempts("primary")).hasSize(2);

    assertThat(chat("solo").status()).isEqualTo(200);
    TestClient.Result limited = chat("solo");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(Long.parseLong(limited.headers().get("retry-after"))).isBetween(1L, 60L);
    assertThat(rig.upstream.attempts("solo")).hasSize(1);
    assertThat(rig.metric("switchboard.ratelimit.rejections", Map.of("model", "solo", "scope", "model"))).isEqualTo(1.0);
  }

  @Test
  void a_rejected_key_is_disabled_and_the_next_key_serves() {
    String keyA = "sk-test-key-a-000000000000";
    String keyB = "sk-test-key-b-111111111111";
    rig = FaultRig.start(config -> config.getJsonObject("providers").getJsonObject("fake")
        .put("api_keys", new JsonObject()
          .put("team-a", new JsonObject().put("env", "KEY_A"))
          .put("team-b", new JsonObject().put("env", "KEY_B")))
        .remove("api_key_env"),
      Map.of("KEY_A", keyA, "KEY_B", keyB));
    rig.upstream.rejectKey(keyA);

    TestClient.Result first = chat("solo");
    TestClient.Result second = chat("solo");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.headers().get("x-switchboard-attempts")).isEqualTo("2");
    assertThat(second.headers().get("x-switchboard-attempts")).as("the rejected key is not tried again").isEqualTo("1");
    assertThat(rig.upstream.attempts()).extracting(a -> a.headers().get("authorization"))
      .containsExactly("Bearer " + keyA, "Bearer " + keyB, "Bearer " + keyB);
    assertThat(rig.attemptFacts).extracting(a -> a.keyLabel()).containsExactly("team-a", "team-b", "team-b");
    assertThat(rig.attemptFacts.get(0).outcome()).isEqualTo("upstream_auth_error");
  }

  @Test
  void a_call_longer_than_the_total_timeout_ends_with_its_own_code() {
    start(config -> config.getJsonObject("providers").getJsonObject("fake").put("total_timeout_ms", 1_500));
    rig.upstream.on("solo", Behaviour.ok().withPieces("a", "b", "c", "d", "e", "f").withChunkDelay(500));

    TestClient.Result result = rig.client.post(CHAT, Chats.streaming("solo", "slowly"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().toString()).contains("upstream_total_timeout").doesNotContain("[DONE]");
  }
}
