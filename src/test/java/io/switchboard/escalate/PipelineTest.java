package io.switchboard.escalate;

import io.switchboard.cost.UsageRecord;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.switchboard.escalate.EscalationRig.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

/** Draft by one model, review by another: through the real gateway and a fake provider. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PipelineTest {

  private static final String DRAFT = "A first draft of the answer.";

  private EscalationRig rig;

  @BeforeEach
  void start() {
    rig = EscalationRig.start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text(DRAFT));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private static JsonObject ask() {
    return Chats.chat("auto:review", "hi there, how are you?").put("temperature", 0.3);
  }

  @Test
  void the_reviewer_is_asked_with_the_conversation_the_draft_and_the_review_prompt() {
    JsonObject request = ask();

    TestClient.Result result = rig.client.post(CHAT, request);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo(FakeProvider.ANSWER);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(result.headers().get("x-switchboard-pipeline")).isEqualTo("reviewed");
    assertThat(result.headers().get("x-switchboard-draft-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-attempts")).isEqualTo("2");
    JsonArray conversation = request.getJsonArray("messages");
    assertThat(rig.upstream.attempts("fake-cheap")).singleElement()
      .satisfies(draft -> assertThat(draft.body().getJsonArray("messages")).isEqualTo(conversation));
    Attempt review = rig.upstream.attempts("fake-premium").get(0);
    JsonArray expected = request.getJsonArray("messages").copy()
      .add(new JsonObject().put("role", "assistant").put("content", DRAFT))
      .add(new JsonObject().put("role", "user").put("content", EscalationRig.REVIEW_PROMPT));
    assertThat(review.body().getJsonArray("messages")).isEqualTo(expected);
    assertThat(review.body().getDouble("temperature")).isEqualTo(0.3);
  }

  @Test
  void both_calls_are_paid_for_in_one_usage_record() {
    TestClient.Result result = rig.client.post(CHAT, ask());

    // 12 in + 5 out each: fake-cheap 3 µ$ + fake-premium 64 µ$
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000067");
    String decisionId = result.headers().get("x-switchboard-decision-id");
    Poll.until(() -> assertThat(rig.usageOf(decisionId)).hasSize(1));
    UsageRecord record = rig.usageOf(decisionId).get(0);
    assertThat(record.costMicros()).isEqualTo(67);
    assertThat(record.model()).isEqualTo("fake-premium");
    assertThat(record.policy()).isEqualTo("auto:review");
  }

  @Test
  void a_streaming_client_gets_the_reviewers_answer_streamed() {
    JsonObject request = ask().put("stream", true);

    TestClient.Result result = FakeProvider.await(rig.client.stream(CHAT, request, (r, b) -> { }));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-pipeline")).isEqualTo("reviewed");
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(Answers.streamedContent(result.events())).isEqualTo(FakeProvider.ANSWER);
    assertThat(result.body().toString()).doesNotContain(DRAFT);
    assertThat(result.events()).last().isEqualTo("data: [DONE]");
    assertThat(Answers.costComment(result.events()).getString("cost_usd")).isEqualTo("0.000067");
    // the draft is read whole, the review is streamed
    assertThat(rig.upstream.attempts("fake-cheap").get(0).body().containsKey("stream")).isFalse();
    Attempt review = rig.upstream.attempts("fake-premium").get(0);
    assertThat(review.body().getBoolean("stream")).isTrue();
    assertThat(review.body().getJsonArray("messages").getJsonObject(1).getString("content")).isEqualTo(DRAFT);
  }

  @Test
  void when_the_reviewer_cannot_answer_the_draft_is_returned_unreviewed() {
    rig.upstream.on("fake-premium", Behaviour.error(500, "server_error", "down"));

    TestClient.Result json = rig.client.post(CHAT, ask());
    TestClient.Result stream = FakeProvider.await(rig.client.stream(CHAT, ask().put("stream", true), (r, b) -> { }));

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo(DRAFT);
    assertThat(json.headers().get("x-switchboard-pipeline")).isEqualTo("unreviewed");
    assertThat(json.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(json.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.headers().get("x-switchboard-pipeline")).isEqualTo("unreviewed");
    assertThat(Answers.streamedContent(stream.events())).isEqualTo(DRAFT);
    assertThat(Answers.costComment(stream.events()).getString("cost_usd")).isEqualTo("0.000003");
  }

  @Test
  void a_draft_that_calls_a_tool_is_returned_without_review() {
    rig.upstream.on("fake-cheap", Answers.toolCall("{\"city\": \"Oslo\"}"));

    TestClient.Result result = rig.client.post(CHAT, ask().put("tools", Answers.WEATHER_TOOL));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-pipeline")).isEqualTo("unreviewed");
    assertThat(rig.upstream.attempts()).extracting(Attempt::model).containsExactly("fake-cheap");
    assertThat(result.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
      .getJsonArray("tool_calls")).hasSize(1);
  }
}
