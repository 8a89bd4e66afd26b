package io.switchboard.api;

import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/route}: the routing decision for a chat body, with no upstream call. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RouteDryRunTest extends GatewayTest {

  private static final String SECURITY_PROMPT =
    "Find the SQL injection vulnerability and the XSS exploit in this login handler";
  /** About 300 tokens: more than fake-tiny's context window of 100. */
  private static final String LONG_PROMPT = "lorem ipsum dolor sit amet ".repeat(60);

  private JsonObject route(JsonObject body) {
    TestClient.Result result = client.post("/v1/route", body);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("application/json");
    return result.json();
  }

  private static Map<String, JsonObject> alternatives(JsonObject decision) {
    return decision.getJsonArray("alternatives").stream().map(JsonObject.class::cast)
      .collect(Collectors.toMap(a -> a.getString("model"), a -> a));
  }

  /** Micro-dollars at $/M rates given in micro-dollars per million tokens, rounded half up. */
  private static long micros(long promptTokens, long outputTokens, long inputRate, long outputRate) {
    return (promptTokens * inputRate + outputTokens * outputRate + 500_000) / 1_000_000;
  }

  @Test
  void auto_answers_with_the_classification_the_choice_and_the_reasons() {
    JsonObject decision = route(Chats.chat("auto", "hi, how are you?"));

    JsonObject classification = decision.getJsonObject("classification");
    assertThat(classification.getString("task_type")).isEqualTo("conversation");
    assertThat(classification.getString("complexity")).isEqualTo("simple");
    assertThat(classification.getDouble("confidence")).isBetween(0.0, 1.0);
    assertThat(classification.getString("tier")).isEqualTo("heuristic");
    assertThat(classification.getJsonObject("features").getLong("prompt_tokens")).isPositive();
    assertThat(decision.getString("requested_model")).isEqualTo("auto");
    assertThat(decision.getString("policy")).isEqualTo("auto");
    assertThat(decision.getString("policy_kind")).isEqualTo("tree");
    assertThat(decision.getString("model")).isEqualTo("fake-cheap");
    assertThat(decision.getString("provider")).isEqualTo("fake");
    assertThat(decision.getString("upstream_model")).isEqualTo("fake-cheap");
    assertThat(decision.getString("decision_id")).isNotBlank();
    assertThat(decision.getJsonArray("fallback_chain")).as("the policy's next best, the chosen model excluded")
      .isNotEmpty().hasSizeLessThanOrEqualTo(3).doesNotContain("fake-cheap");
    assertThat(decision.getJsonArray("reasons")).isNotEmpty()
      .allSatisfy(reason -> assertThat(reason).isInstanceOfSatisfying(String.class, s -> assertThat(s).isNotBlank()));
  }

  @Test
  void auto_ranks_every_model_with_the_chosen_one_first() {
    JsonObject decision = route(Chats.chat("auto", "hi, how are you?"));

    JsonArray alternatives = decision.getJsonArray("alternatives");
    assertThat(alternatives.getJsonObject(0).getString("model")).isEqualTo("fake-cheap");
    assertThat(alternatives(decision)).containsOnlyKeys("fake-cheap", "fake-premium", "fake-tiny", "keyless");
    assertThat(alternatives(decision).values()).allSatisfy(alternative -> {
      assertThat(alternative.getDouble("score")).isBetween(0.0, 1.0);
      assertThat(alternative.getInteger("quality")).isBetween(0, 100);
      assertThat(alternative.getLong("estimated_cost_micros")).isNotNegative();
      assertThat(alternative.getBoolean("fits_context")).isTrue();
    });
    // same quality: the cheaper model scores higher
    assertThat(alternatives(decision).get("fake-cheap").getDouble("score"))
      .isGreaterThan(alternatives(decision).get("fake-premium").getDouble("score"));
  }

  @Test
  void the_estimates_price_the_prompt_and_the_default_output_on_the_model_and_the_baseline() {
    JsonObject decision = route(Chats.chat("auto", "hi, how are you?"));

    long prompt = decision.getJsonObject("classification").getJsonObject("features").getLong("prompt_tokens");
    long cost = micros(prompt, 512, 100_000, 400_000);
    long baseline = micros(prompt, 512, 2_000_000, 8_000_000);
    assertThat(decision.getLong("estimated_output_tokens")).isEqualTo(512);
    assertThat(decision.getLong("estimated_cost_micros")).isEqualTo(cost);
    assertThat(decision.getLong("baseline_cost_micros")).isEqualTo(baseline);
    assertThat(decision.getString("estimated_cost_usd")).isEqualTo(String.format("0.%06d", cost));
    assertThat(decision.getString("baseline_cost_usd")).isEqualTo(String.format("0.%06d", baseline));
    assertThat(decision.getLong("estimated_savings_micros")).isEqualTo(baseline - cost);
  }

  @Test
  void max_tokens_is_the_output_the_estimates_assume() {
    JsonObject decision = route(Chats.chat("auto", "hi, how are you?").put("max_tokens", 100));

    long prompt = decision.getJsonObject("classification").getJsonObject("features").getLong("prompt_tokens");
    assertThat(decision.getLong("estimated_output_tokens")).isEqualTo(100);
    assertThat(decision.getLong("estimated_cost_micros")).isEqualTo(micros(prompt, 100, 100_000, 400_000));
  }

  @Test
  void the_answer_carries_the_dry_runs_reasons_in_one_header() {
    JsonObject decision = route(Chats.chat("auto", SECURITY_PROMPT));
    TestClient.Result answer = client.post("/v1/chat/completions", Chats.chat("auto", SECURITY_PROMPT));

    assertThat(answer.status()).isEqualTo(200);
    String joined = String.join("; ", decision.getJsonArray("reasons").stream().map(String.class::cast).toList());
    assertThat(answer.headers().get("x-switchboard-reasons")).isEqualTo(joined).doesNotContain("login handler");
  }

  @Test
  void a_pinned_model_is_honoured_and_explained() {
    JsonObject decision = route(Chats.chat("fake-premium", "hi, how are you?"));

    assertThat(decision.getString("requested_model")).isEqualTo("fake-premium");
    assertThat(decision.getString("model")).isEqualTo("fake-premium");
    assertThat(decision.getString("provider")).isEqualTo("fake");
    assertThat(decision.getString("policy")).isEmpty();
    assertThat(decision.getJsonArray("alternatives")).hasSize(1);
    assertThat(decision.getJsonArray("alternatives").getJsonObject(0).getString("model")).isEqualTo("fake-premium");
    assertThat(decision.getJsonObject("classification").getString("task_type")).isEqualTo("conversation");
    assertThat(decision.getString("estimated_cost_usd")).isEqualTo(decision.getString("baseline_cost_usd"));
    assertThat(decision.getJsonArray("reasons")).isNotEmpty();
    assertThat(decision.getJsonArray("reasons").getString(0)).contains("fake-premium");
  }

  @Test
  void an_alias_is_resolved_and_the_reason_says_so() {
    JsonObject decision = route(Chats.chat("cheap", "hello"));

    assertThat(decision.getString("model")).isEqualTo("fake-cheap");
    assertThat(decision.getJsonArray("reasons").getString(0)).contains("cheap").contains("fake-cheap");
  }

  @Test
  void a_security_prompt_routes_to_the_premium_model() {
    JsonObject decision = route(Chats.chat("auto", SECURITY_PROMPT));

    assertThat(decision.getJsonObject("classification").getString("task_type")).isEqualTo("security");
    assertThat(decision.getJsonObject("classification").getString("complexity")).isEqualTo("critical");
    assertThat(decision.getString("model")).isEqualTo("fake-premium");
    assertThat(decision.getJsonArray("alternatives").getJsonObject(0).getString("model")).isEqualTo("fake-premium");
    assertThat(decision.getLong("estimated_cost_micros")).isEqualTo(decision.getLong("baseline_cost_micros"));
  }

  @Test
  void a_dry_run_never_calls_the_upstream_nor_counts_as_a_request() {
    route(Chats.chat("auto", "hi"));
    route(Chats.chat("auto", SECURITY_PROMPT));
    route(Chats.chat("fake-cheap", "hi"));
    route(Chats.chat("keyless", "hi"));

    assertThat(upstream.attempts()).isEmpty();
    TestClient.Result stats = admin.get("/admin/stats");
    assertThat(stats.json().getJsonObject("since_start").getLong("requests")).isZero();
  }

  @Test
  void a_prompt_too_long_for_the_pinned_model_is_refused() {
    TestClient.Result result = client.post("/v1/route", Chats.chat("fake-tiny", LONG_PROMPT));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("code")).isEqualTo("context_length_exceeded");
    assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(result.error().getString("message")).contains("fake-tiny").contains("100");
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void auto_marks_a_model_too_small_for_the_prompt_and_does_not_choose_it() {
    JsonObject decision = route(Chats.chat("auto", LONG_PROMPT));

    assertThat(decision.getJsonObject("classification").getJsonObject("features").getLong("prompt_tokens"))
      .isGreaterThan(100);
    assertThat(decision.getString("model")).isEqualTo("fake-cheap");
    assertThat(alternatives(decision).get("fake-tiny").getBoolean("fits_context")).isFalse();
    assertThat(alternatives(decision).get("fake-cheap").getBoolean("fits_context")).isTrue();
    assertThat(alternatives(decision).get("fake-premium").getBoolean("fits_context")).isTrue();
  }

  @Test
  void max_tokens_above_the_pinned_models_max_output_is_refused() {
    TestClient.Result tiny = client.post("/v1/route", Chats.chat("fake-tiny", "hi").put("max_tokens", 60));
    TestClient.Result cheap = client.post("/v1/route", Chats.chat("fake-cheap", "hi").put("max_completion_tokens", 5_000));

    assertThat(tiny.status()).isEqualTo(400);
    assertThat(tiny.error().getString("code")).isEqualTo("context_length_exceeded");
    assertThat(tiny.error().getString("message")).contains("max_tokens 60").contains("50");
    assertThat(cheap.status()).isEqualTo(400);
    assertThat(cheap.error().getString("message")).contains("5000").contains("4096");
  }

  @Test
  void max_tokens_within_the_max_output_is_accepted() {
    assertThat(route(Chats.chat("fake-tiny", "hi").put("max_tokens", 50)).getString("model")).isEqualTo("fake-tiny");
  }

  @Test
  void auto_marks_a_model_whose_max_output_is_too_small() {
    JsonObject decision = route(Chats.chat("auto", "hi").put("max_tokens", 60));

    assertThat(alternatives(decision).get("fake-tiny").getBoolean("fits_context")).isFalse();
    assertThat(decision.getString("model")).isEqualTo("fake-cheap");
  }

  @Test
  void auto_refuses_when_no_model_can_produce_the_requested_output() {
    TestClient.Result result = client.post("/v1/route", Chats.chat("auto", "hi").put("max_tokens", 5_000));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("code")).isEqualTo("context_length_exceeded");
  }

  @Test
  void bad_bodies_get_the_same_errors_as_chat_completions() {
    List<String> bodies = List.of(
      "",
      "{",
      "[]",
      "null",
      "{\"model\":\"fake-cheap\"}",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"fake-cheap\",\"messages\":[]}",
      "{\"model\":\"fake-cheap\",\"messages\":\"hi\"}",
      "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\"}]}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{}}",
      "{\"model\":\"fake-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"api_key\":\"x\"}",
      "{\"model\":\"fake-cheap\",\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    for (String body : bodies) {
      TestClient.Result chat = client.post("/v1/chat/completions", body);
      TestClient.Result route = client.post("/v1/route", body);

      assertThat(route.status()).as(body).isEqualTo(chat.status()).isBetween(400, 404);
      assertThat(route.error()).as(body).isEqualTo(chat.error());
      assertThat(route.error().getString("type")).as(body).isEqualTo("invalid_request_error");
    }
    assertThat(upstream.attempts()).isEmpty();
  }

  @Test
  void a_body_that_is_not_json_is_refused_with_415_as_for_chat_completions() {
    Map<String, String> text = Map.of("content-type", "text/plain");
    Buffer body = Chats.chat("fake-cheap", "hi").toBuffer();

    TestClient.Result chat = client.send(HttpMethod.POST, "/v1/chat/completions", body, text);
    TestClient.Result route = client.send(HttpMethod.POST, "/v1/route", body, text);

    assertThat(route.status()).isEqualTo(chat.status()).isEqualTo(415);
    assertThat(route.error()).isEqualTo(chat.error());
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413_as_for_chat_completions() {
    JsonObject huge = Chats.chat("fake-cheap", "x".repeat((int) TestConfig.MAX_BODY_BYTES + 1));

    TestClient.Result chat = client.post("/v1/chat/completions", huge);
    TestClient.Result route = client.post("/v1/route", huge);

    assertThat(route.status()).isEqualTo(chat.status()).isEqualTo(413);
    assertThat(route.error()).isEqualTo(chat.error());
  }

  @Test
  void get_is_not_allowed_on_the_route_endpoint() {
    TestClient.Result result = client.get("/v1/route");

    assertThat(result.status()).isEqualTo(405);
    assertThat(result.headers().get("allow")).isEqualTo("POST");
    assertThat(result.error().getString("code")).isEqualTo("method_not_allowed");
  }
}
