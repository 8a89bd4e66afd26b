package io.switchboard.learn;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** With a {@code redis} section, every instance learns from every instance's traffic, and it outlives them all. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedLearningTest {

  private static RedisServer redis;
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** A gateway node on its own Vertx with its own fake provider; answers its data and admin clients. */
  private TestClient[] node(String prefix) {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    FakeProvider upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    config.put("redis", new JsonObject().put("url", redis.url()).put("key_prefix", prefix).put("timeout_ms", 1_000));
    config.put("learning", new JsonObject().put("refresh_interval_seconds", 1));
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config);
    TestClient[] pair = {gateway.client(vertx), gateway.adminClient(vertx)};
    clients.addAll(List.of(pair));
    return pair;
  }

  @AfterEach
  void stopNodes() {
    clients.forEach(TestClient::close);
    clients.clear();
    nodes.forEach(vertx -> vertx.close().await());
    nodes.clear();
  }

  @Test
  void feedback_on_one_instance_moves_the_estimate_on_the_other_and_survives_them_both() {
    TestClient[] one = node("shared-a:");
    TestClient[] two = node("shared-a:");
    TestClient.Result chat = one[0].post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?"));
    assertThat(chat.status()).isEqualTo(200);
    Poll.until(() -> assertThat(Estimates.of(one[1], "fake-cheap", "conversation")).isPresent());
    assertThat(one[0].post("/v1/feedback", new JsonObject()
      .put("decision_id", chat.headers().get("x-switchboard-decision-id")).put("thumbs", "down")).status())
      .isEqualTo(200);

    // one answer (0.1 of a success) and one thumb down: (0.5 x 2 + 0.1) / (2 + 0.1 + 1)
    Poll.until(() -> assertThat(Estimates.success(two[1], "fake-cheap", "conversation"))
      .isCloseTo(1.1 / 3.1, within(1e-4)));
    assertThat(Estimates.success(one[1], "fake-cheap", "conversation")).isCloseTo(1.1 / 3.1, within(1e-4));

    stopNodes();
    TestClient[] later = node("shared-a:");
    assertThat(Estimates.failures(later[1], "fake-cheap", "conversation")).isCloseTo(1, within(1e-4));
  }

  @Test
  void feedback_reaches_the_estimate_whichever_instance_it_is_sent_to() {
    TestClient[] one = node("shared-c:");
    TestClient[] two = node("shared-c:");
    TestClient.Result chat = one[0].post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?"));
    JsonObject up = new JsonObject().put("decision_id", chat.headers().get("x-switchboard-decision-id"))
      .put("thumbs", "up");

    Poll.until(() -> assertThat(two[0].post("/v1/feedback", up).status()).isEqualTo(200));

    // one answer and one thumb up: (0.5 x 2 + 0.1 + 1) / (2 + 0.1 + 1), on both instances
    Poll.until(() -> assertThat(Estimates.success(one[1], "fake-cheap", "conversation"))
      .isCloseTo(2.1 / 3.1, within(1e-4)));
    Poll.until(() -> assertThat(Estimates.success(two[1], "fake-cheap", "conversation"))
      .isCloseTo(2.1 / 3.1, within(1e-4)));
    assertThat(two[0].post("/v1/feedback", up.copy().put("decision_id", "req_unknown")).status()).isEqualTo(404);
  }

  @Test
  void both_instances_traffic_adds_up() {
    TestClient[] one = node("shared-b:");
    TestClient[] two = node("shared-b:");
    assertThat(one[0].post("/v1/chat/completions", Chats.chat("auto", "hi, how are you?")).status()).isEqualTo(200);
    assertThat(two[0].post("/v1/chat/completions", Chats.chat("auto", "hello there, nice day")).status())
      .isEqualTo(200);

    Poll.until(() -> assertThat(Estimates.successes(one[1], "fake-cheap", "conversation"))
      .isCloseTo(0.2, within(1e-4)));
    Poll.until(() -> assertThat(Estimates.successes(two[1], "fake-cheap", "conversation"))
      .isCloseTo(0.2, within(1e-4)));
  }
}
