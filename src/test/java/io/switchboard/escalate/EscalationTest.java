package io.switchboard.escalate;

import io.switchboard.cost.Outcome;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;
import io.switchboard.testkit.Attempt;
import io.switchboard.testkit.Behaviour;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.Poll;
import io.switchboard.testkit.TestClient;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.switchboard.escalate.EscalationRig.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

/** Quality-checked answers escalated to the next model, through the real gateway and a fake provider. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EscalationTest {

  private EscalationRig rig;

  @AfterEach
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private EscalationRig start(Consumer<JsonObject> tweak) {
    rig = EscalationRig.start(tweak);
    return rig;
  }

  private static JsonObject ask() {
    return Chats.chat("auto", "hi there, how are you?");
  }

  static Stream<Arguments> failures() {
    JsonObject json = ask().put("response_format", new JsonObject().put("type", "json_object"));
    JsonObject tools = ask().put("tools", Answers.WEATHER_TOOL);
    return Stream.of(
      Arguments.of("refusal", ask(), Answers.text("I cannot help with that request."), Behaviour.ok()),
      Arguments.of("hedging", ask(), Answers.text("I'm not sure, it could be anything."), Behaviour.ok()),
      Arguments.of("empty", ask(), Answers.text(""), Behaviour.ok()),
      Arguments.of("too_short", ask(), Answers.text("Fine."), Behaviour.ok()),
      Arguments.of("truncated", ask(),
        Answers.raw(new JsonObject().put("content", "Hello from the fake pro"), "length"), Behaviour.ok()),
      Arguments.of("invalid_json", json, Answers.text("Sure! {\"mood\": \"good\"}"),
        Answers.text("{\"mood\": \"good\"}")),
      Arguments.of("invalid_tool_call", tools, Answers.toolCall("{\"town\": \"Oslo\"}"),
        Answers.toolCall("{\"city\": \"Oslo\"}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void an_answer_failing_the_check_is_asked_of_the_next_model(String reason, JsonObject request, Behaviour cheap,
                                                               Behaviour premium) {
    start(config -> { });
    rig.upstream.on("fake-cheap", cheap).on("fake-premium", premium);

    TestClient.Result result = rig.client.post(CHAT, request);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(result.headers().get("x-switchboard-escalations")).isEqualTo("1");
    assertThat(result.headers().get("x-switchboard-quality")).isEqualTo("pass");
    assertThat(result.headers().get("x-switchboard-attempts")).isEqualTo("2");
    assertThat(rig.upstream.attempts("fake-cheap")).hasSize(1);
    List<Attempt> asked = rig.upstream.attempts("fake-premium");
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).body().getJsonArray("messages")).isEqualTo(request.getJsonArray("messages"));
    String decisionId = result.headers().get("x-switchboard-decision-id");
    Poll.until(() -> assertThat(rig.escalationsOf(decisionId)).singleElement().satisfies(record -> {
      assertThat(record.reason()).isEqualTo(reason);
      assertThat(record.fromModel()).isEqualTo("fake-cheap");
      assertThat(record.toModel()).isEqualTo("fake-premium");
      assertThat(record.policy()).isEqualTo("auto");
    }));
    Map<String, String> labels = Map.of("reason", reason, "policy", "auto");
    Poll.until(() -> assertThat(rig.gateway.metric("switchboard.escalations", labels)).isEqualTo(1.0));
  }

  @Test
  void an_answer_that_passes_is_returned_without_asking_another_model() {
    start(config -> { });

    TestClient.Result result = rig.client.post(CHAT, ask());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-escalations")).isEqualTo("0");
    assertThat(result.headers().get("x-switchboard-quality")).isEqualTo("pass");
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");
    assertThat(rig.upstream.attempts()).extracting(Attempt::model).containsExactly("fake-cheap");
    assertThat(rig.escalations).isEmpty();
  }

  @Test
  void the_cost_is_the_sum_of_every_answer_and_the_usage_record_is_one() {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."));

    TestClient.Result result = rig.client.post(CHAT, ask());

    // fake usage 12 in + 5 out per call. fake-cheap 0.10/0.40 $/M: 1.2 + 2.0 → 3 µ$;
    // fake-premium 2/8 $/M: 24 + 40 → 64 µ$
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000067");
    // the baseline (fake-premium) answering once: 64 µ$
    assertThat(result.headers().get("x-switchboard-baseline-cost-usd")).isEqualTo("0.000064");
    assertThat(result.headers().get("x-switchboard-savings-usd")).isEqualTo("-0.000003");
    String decisionId = result.headers().get("x-switchboard-decision-id");
    Poll.until(() -> assertThat(rig.usageOf(decisionId)).hasSize(1));
    UsageRecord record = rig.usageOf(decisionId).get(0);
    assertThat(record.model()).isEqualTo("fake-premium");
    assertThat(record.costMicros()).isEqualTo(67);
    assertThat(record.usage().promptTokens()).isEqualTo(2L * FakeProvider.PROMPT_TOKENS);
    assertThat(record.usage().completionTokens()).isEqualTo(10);
  }

  @Test
  void when_no_model_passes_the_last_answer_is_returned_with_its_flaw() {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."))
      .on("fake-premium", Answers.text("I'm not sure about that one."));

    TestClient.Result result = rig.client.post(CHAT, ask());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(result.headers().get("x-switchboard-escalations")).isEqualTo("1");
    assertThat(result.headers().get("x-switchboard-quality")).isEqualTo("hedging");
    assertThat(result.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("I'm not sure about that one.");
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000067");
  }

  @Test
  void a_model_of_the_order_that_cannot_answer_is_passed_over() {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."))
      .on("fake-mid", Behaviour.error(500, "server_error", "down"));

    TestClient.Result result = rig.client.post(CHAT, Chats.chat("auto:ladder", "hi there, how are you?"));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(result.headers().get("x-switchboard-escalations")).isEqualTo("2");
    assertThat(result.headers().get("x-switchboard-attempts")).isEqualTo("3");
    assertThat(rig.upstream.attempts()).extracting(Attempt::model)
      .containsExactly("fake-cheap", "fake-mid", "fake-premium");
    String decisionId = result.headers().get("x-switchboard-decision-id");
    Poll.until(() -> assertThat(rig.escalationsOf(decisionId)).extracting(EscalationRecord::toModel)
      .containsExactly("fake-mid", "fake-premium"));
    // the failed call cost nothing: 3 µ$ + 64 µ$
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000067");
  }

  @Test
  void when_every_model_of_the_order_fails_the_checked_answer_is_returned() {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."))
      .on("fake-premium", Behaviour.error(503, "overloaded", "busy"));

    TestClient.Result result = rig.client.post(CHAT, ask());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-cheap");
    assertThat(result.headers().get("x-switchboard-quality")).isEqualTo("refusal");
    assertThat(result.headers().get("x-switchboard-cost-usd")).isEqualTo("0.000003");
  }

  @Test
  void a_client_leaving_during_an_escalation_still_pays_for_the_answer_it_had() throws Exception {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."))
      .on("fake-premium", Behaviour.ok().withHeadDelay(5_000));
    HttpClient http = rig.vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
      .setPort(rig.gateway.port()).setURI(CHAT).addHeader("content-type", "application/json");
    HttpClientRequest request = FakeProvider.await(http.request(options));
    request.send(ask().toBuffer());

    Poll.until(() -> assertThat(rig.upstream.attempts("fake-premium")).hasSize(1));
    FakeProvider.await(request.connection().close());

    assertThat(rig.upstream.attempts("fake-premium").get(0).awaitAborted(5_000)).isTrue();
    Poll.until(() -> assertThat(rig.usage).hasSize(1));
    UsageRecord record = rig.usage.get(0);
    assertThat(record.outcome()).isEqualTo(Outcome.CLIENT_CLOSED);
    assertThat(record.costMicros()).as("fake-cheap's answer, 12 in + 5 out").isEqualTo(3);
    http.close();
  }

  @Test
  void the_budget_reservation_holds_the_models_a_request_may_be_escalated_to() {
    // fake-top (20/80 $/M) is ranked last, so it is in no fallback chain: only the escalation order brings it in.
    // Worst cases at max_tokens 100 and about 10 prompt tokens: the chain's priciest (fake-premium) ≈ 820 µ$,
    // fake-top ≈ 8,200 µ$; the limit of 2,000 µ$ holds the first, not both
    start(config -> {
      config.put("budgets", new JsonObject().put("global", new JsonObject().put("daily_usd", 0.002)));
      config.getJsonObject("models").put("fake-top", new JsonObject().put("provider", "fake")
        .put("prices", new JsonObject().put("input", 20.0).put("output", 80.0)).put("context_window", 128_000));
      JsonObject policies = config.getJsonObject("routing").getJsonObject("policies");
      policies.put("auto:plain", new JsonObject().put("default", new JsonObject().put("primary", "fake-cheap")));
      policies.put("auto:top", new JsonObject().put("default", new JsonObject().put("primary", "fake-cheap")
        .put("escalate_to", new JsonArray().add("fake-top"))));
    });

    JsonObject plain = rig.client.post("/v1/route", Chats.chat("auto:plain", "hi there").put("max_tokens", 100)).json();
    assertThat(plain.getJsonArray("fallback_chain")).doesNotContain("fake-top").contains("fake-premium");
    TestClient.Result unescalated = rig.client.post(CHAT, Chats.chat("auto:plain", "hi there").put("max_tokens", 100));
    TestClient.Result escalating = rig.client.post(CHAT, Chats.chat("auto:top", "hi there").put("max_tokens", 100));

    assertThat(unescalated.status()).isEqualTo(200);
    assertThat(escalating.status()).isEqualTo(429);
    assertThat(escalating.error().getString("code")).isEqualTo("budget_exceeded");
    assertThat(rig.upstream.attempts()).hasSize(1);
  }

  @Test
  void a_stream_is_relayed_unchecked_by_default() {
    start(config -> { });
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."));

    TestClient.Result result = FakeProvider.await(rig.client.stream(CHAT, ask().put("stream", true), (r, b) -> { }));

    assertThat(result.status()).isEqualTo(200);
    assertThat(Answers.streamedContent(result.events())).isEqualTo("I cannot help with that request.");
    assertThat(rig.upstream.attempts()).extracting(Attempt::model).containsExactly("fake-cheap");
    assertThat(result.headers().get("x-switchboard-escalations")).isNull();
  }

  @Test
  void a_buffered_stream_delivers_only_the_answer_that_passed() {
    start(config -> config.getJsonObject("escalation").put("streams", "buffered"));
    rig.upstream.on("fake-cheap", Answers.text("I cannot help with that request."));

    JsonObject request = ask().put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    TestClient.Result result = FakeProvider.await(rig.client.stream(CHAT, request, (r, b) -> { }));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).isEqualTo("text/event-stream");
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-premium");
    assertThat(result.headers().get("x-switchboard-escalations")).isEqualTo("1");
    assertThat(result.body().toString()).doesNotContain("I cannot");
    assertThat(Answers.streamedContent(result.events())).isEqualTo(FakeProvider.ANSWER);
    assertThat(result.events()).last().isEqualTo("data: [DONE]");
    assertThat(Answers.costComment(result.events()).getString("cost_usd")).isEqualTo("0.000067");
    assertThat(result.events()).anySatisfy(event -> assertThat(event).contains("\"usage\""));
    // both models were asked for a whole answer
    assertThat(rig.upstream.attempts()).allSatisfy(attempt -> {
      assertThat(attempt.body().containsKey("stream")).isFalse();
      assertThat(attempt.body().containsKey("stream_options")).isFalse();
    });
  }

  @Test
  void the_dry_run_shows_the_escalation_order() {
    start(config -> { });

    JsonObject decision = rig.client.post("/v1/route", Chats.chat("auto:ladder", "hi there")).json();

    assertThat(decision.getJsonArray("escalation"))
      .isEqualTo(new JsonArray().add("fake-mid").add("fake-premium"));
  }
}
