package io.switchboard.learn;

import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /v1/feedback} moves the success estimate of the model that answered, for the request's task type.
 * Defaults: prior mean 0.5 worth 2 observations, an answer 0.1 of a success, feedback worth one observation.
 */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FeedbackTest extends GatewayTest {

  private static final String SMALL_TALK = "hi, how are you?";

  /** Sends a chat and waits until the learner has its answer; returns the decision id. */
  private String answered(String text) {
    TestClient.Result chat = client.post("/v1/chat/completions", Chats.chat("auto", text));
    assertThat(chat.status()).isEqualTo(200);
    assertThat(chat.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(chat.headers().get("x-switchboard-task-type")).isEqualTo("conversation");
    Poll.until(() -> assertThat(Estimates.of(admin, "fake-cheap", "conversation")).isPresent());
    return chat.headers().get("x-switchboard-decision-id");
  }

  private TestClient.Result feedback(JsonObject body) {
    return client.post("/v1/feedback", body);
  }

  @Test
  void a_thumb_down_lowers_the_estimate_of_the_model_that_answered_for_that_task_type() {
    String decision = answered(SMALL_TALK);
    // one answer: (0.5 x 2 + 0.1) / (2 + 0.1)
    assertThat(Estimates.success(admin, "fake-cheap", "conversation")).isCloseTo(1.1 / 2.1, within(1e-4));

    TestClient.Result result = feedback(new JsonObject().put("decision_id", decision).put("thumbs", "down")
      .put("comment", "the answer ignored my question"));

    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    assertThat(result.json().getString("decision_id")).isEqualTo(decision);
    assertThat(result.json().getString("model")).isEqualTo("fake-cheap");
    assertThat(result.json().getString("task_type")).isEqualTo("conversation");
    assertThat(result.json().getDouble("score")).isZero();
    assertThat(result.json().getString("source")).isEqualTo("thumbs");
    assertThat(result.json().getBoolean("learned")).isTrue();
    assertThat(Estimates.success(admin, "fake-cheap", "conversation")).isCloseTo(1.1 / 3.1, within(1e-4));
    assertThat(Estimates.of(admin, "fake-premium", "conversation")).as("other models are untouched").isEmpty();
    assertThat(gateway.metric("switchboard.learning.signals", Map.of("signal", "feedback"))).isEqualTo(1);
  }

  @Test
  void a_high_score_raises_the_estimate_by_its_share() {
    String decision = answered(SMALL_TALK);

    TestClient.Result result = feedback(new JsonObject().put("decision_id", decision).put("score", 0.9));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getString("source")).isEqualTo("score");
    // 0.9 of a success and 0.1 of a failure on top of the answer's 0.1 success
    assertThat(Estimates.success(admin, "fake-cheap", "conversation")).isCloseTo(2.0 / 3.1, within(1e-4));
  }

  @Test
  void later_feedback_on_the_same_decision_replaces_the_earlier_one() {
    String decision = answered(SMALL_TALK);
    feedback(new JsonObject().put("decision_id", decision).put("thumbs", "down"));

    TestClient.Result again = feedback(new JsonObject().put("decision_id", decision).put("thumbs", "up"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getBoolean("replaced_earlier_feedback")).isTrue();
    assertThat(Estimates.successes(admin, "fake-cheap", "conversation")).isCloseTo(1.1, within(1e-4));
    assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).isCloseTo(0, within(1e-4));
  }

  @Test
  void an_unknown_decision_is_404() {
    TestClient.Result result = feedback(new JsonObject().put("decision_id", "req_00000000000000000000000000000000")
      .put("thumbs", "up"));

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.error().getString("code")).isEqualTo("decision_not_found");
    assertThat(result.error().getString("param")).isEqualTo("decision_id");
  }

  @Test
  void a_dry_run_is_no_decision_to_give_feedback_on() {
    TestClient.Result route = client.post("/v1/route", Chats.chat("auto", SMALL_TALK));

    TestClient.Result result = feedback(new JsonObject().put("decision_id", route.json().getString("decision_id"))
      .put("thumbs", "up"));

    assertThat(result.status()).isEqualTo(404);
  }

  private String newKey(String name) {
    TestClient.Result created = admin.post("/admin/keys", new JsonObject().put("name", name));
    assertThat(created.status()).isEqualTo(201);
    return created.json().getString("key");
  }

  private TestClient.Result post(String path, JsonObject body, String key) {
    return client.send(HttpMethod.POST, path, body.toBuffer(),
      Map.of("content-type", "application/json", "authorization", "Bearer " + key));
  }

  @Test
  void feedback_needs_a_virtual_key_once_keys_exist_and_only_the_key_that_was_answered_may_give_it() {
    String alice = newKey("alice");
    String bob = newKey("bob");
    TestClient.Result chat = post("/v1/chat/completions", Chats.chat("auto", SMALL_TALK), alice);
    assertThat(chat.status()).isEqualTo(200);
    JsonObject down = new JsonObject().put("decision_id", chat.headers().get("x-switchboard-decision-id"))
      .put("thumbs", "down");
    Poll.until(() -> assertThat(Estimates.of(admin, "fake-cheap", "conversation")).isPresent());

    assertThat(feedback(down).status()).isEqualTo(401);
    assertThat(post("/v1/feedback", down, bob).status()).as("another key's decision is unknown").isEqualTo(404);
    assertThat(post("/v1/feedback", down, alice).status()).isEqualTo(200);
  }

  @Test
  void malformed_feedback_is_400_naming_the_field() {
    String decision = answered(SMALL_TALK);
    Map<JsonObject, String> bad = Map.of(
      new JsonObject().put("thumbs", "up"), "decision_id",
      new JsonObject().put("decision_id", 42).put("thumbs", "up"), "decision_id",
      new JsonObject().put("decision_id", "not an id!").put("thumbs", "up"), "decision_id",
      new JsonObject().put("decision_id", decision), "score",
      new JsonObject().put("decision_id", decision).put("score", 1.5), "score",
      new JsonObject().put("decision_id", decision).put("score", "high"), "score",
      new JsonObject().put("decision_id", decision).put("score", true), "score",
      new JsonObject().put("decision_id", decision).put("thumbs", "sideways"), "thumbs",
      new JsonObject().put("decision_id", decision).put("thumbs", "up").put("score", 1), "thumbs",
      new JsonObject().put("decision_id", decision).put("thumbs", "up").put("comment", 3), "comment");
    bad.forEach((body, param) -> {
      TestClient.Result result = feedback(body);
      assertThat(result.status()).as(body.encode()).isEqualTo(400);
      assertThat(result.error().getString("param")).as(body.encode()).isEqualTo(param);
    });
    TestClient.Result unknown = feedback(new JsonObject().put("decision_id", decision).put("thumbs", "up")
      .put("rating", 5));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("code")).isEqualTo("unknown_parameter");
    assertThat(client.post("/v1/feedback", "{not json").status()).isEqualTo(400);
    assertThat(client.post("/v1/feedback", new JsonObject().put("decision_id", decision).put("thumbs", "up")
      .put("comment", "x".repeat(4_001))).status()).isEqualTo(400);
    assertThat(Estimates.failures(admin, "fake-cheap", "conversation")).as("nothing bad was recorded").isZero();
  }
}
