package io.switchboard.learn;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feedback reaches routing: a scoring policy that weighs history picks the cheap model while nothing is known, and
 * the premium one once the cheap model's answers to that task type were rated down.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LearnedRoutingTest {

  private static final String SMALL_TALK = "hi, how are you?";
  private static final String POLICY = "auto:learned";

  private Vertx vertx;
  private FakeProvider upstream;
  private TestClient client;
  private TestClient admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    JsonObject config = TestConfig.singleProvider(upstream.baseUrl());
    // cost breaks the tie while history knows nothing; history outweighs it once it does
    config.getJsonObject("routing").getJsonObject("policies").put(POLICY, new JsonObject()
      .put("type", "scoring")
      .put("candidates", new JsonArray().add("fake-cheap").add("fake-premium"))
      .put("weights", new JsonObject().put("capability", 0).put("cost", 0.1).put("quality", 0).put("latency", 0)
        .put("history", 0.9)));
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config);
    client = gateway.client(vertx);
    admin = gateway.adminClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    admin.close();
    upstream.stop();
    vertx.close().await();
  }

  private TestClient.Result chat(String text) {
    TestClient.Result result = client.post("/v1/chat/completions", Chats.chat(POLICY, text));
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    return result;
  }

  private JsonObject factors(String model) {
    JsonObject decision = client.post("/v1/route", Chats.chat(POLICY, SMALL_TALK)).json();
    return decision.getJsonArray("alternatives").stream().map(JsonObject.class::cast)
      .filter(c -> c.getString("model").equals(model)).findFirst().orElseThrow().getJsonObject("factors");
  }

  @Test
  void rating_the_cheap_models_answers_down_moves_the_policy_to_the_premium_model() {
    List<String> decisions = new ArrayList<>();
    // different words each time: the same prompt again would count as a retry, itself a signal against the model
    for (String text : List.of(SMALL_TALK, "hello there, how is it going?", "good morning! how are you doing today?")) {
      TestClient.Result answer = chat(text);
      assertThat(answer.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
      decisions.add(answer.headers().get("x-switchboard-decision-id"));
    }
    Poll.until(() -> assertThat(Estimates.of(admin, "fake-cheap", "conversation")).isPresent());
    double before = factors("fake-cheap").getDouble("history");

    for (String decision : decisions) {
      Poll.until(() -> assertThat(client.post("/v1/feedback",
        new JsonObject().put("decision_id", decision).put("thumbs", "down")).status()).isEqualTo(200));
    }

    assertThat(before).isGreaterThan(0.5);
    assertThat(factors("fake-cheap").getDouble("history")).isLessThan(0.5);
    assertThat(factors("fake-premium").getDouble("history")).isEqualTo(0.5);
    TestClient.Result after = chat("hey, nice to meet you");
    assertThat(after.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(upstream.attempts("fake-premium")).hasSize(1);
  }
}
