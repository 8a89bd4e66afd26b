package io.switchboard.execute;

import io.switchboard.classify.TaskType;
import io.switchboard.config.EscalationConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QualityCheckTest {

  private static final QualityCheck CHECK = new QualityCheck(EscalationConfig.DEFAULTS);
  private static final JsonObject PLAIN = chatRequest();

  private static JsonObject chatRequest() {
    return new JsonObject().put("model", "auto")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "question")));
  }

  private static JsonObject answer(JsonObject message, String finishReason) {
    return new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
      .put("message", message.put("role", "assistant")).put("finish_reason", finishReason)));
  }

  private static JsonObject text(String content) {
    return answer(new JsonObject().put("content", content), "stop");
  }

  private static Optional<QualityFailure> check(JsonObject request, TaskType task, JsonObject completion) {
    return CHECK.failure(request, task, completion);
  }

  private static Optional<QualityFailure> check(String content) {
    return check(PLAIN, TaskType.CONVERSATION, text(content));
  }

  @Test
  void a_plain_answer_passes() {
    assertThat(check("Paris is the capital of France.")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"I cannot help with that.", "i can't do this", "I’m unable to answer that request.",
    "As an AI, I do not have opinions.", "Sorry, but I won't write that.",
    "Well. I'm sorry, but I can't assist with that request."})
  void refusals_near_the_start_fail(String content) {
    assertThat(check(content)).contains(QualityFailure.REFUSAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"I'm not sure.", "I don't know the answer to that.", "Honestly, I have no idea.",
    "It's hard to say without more data.", "I cannot be certain, but probably 42."})
  void hedges_fail(String content) {
    assertThat(check(content)).contains(QualityFailure.HEDGING);
  }

  @Test
  void a_phrase_far_into_a_long_answer_or_inside_a_word_does_not_count() {
    String body = "The function reads the file line by line and keeps a running count of matches. ".repeat(4);
    assertThat(check(body + "If the file is missing, I cannot open it and the function returns 0.")).isEmpty();
    assertThat(check("You cannot divide by zero; the result is undefined.")).isEmpty();
    assertThat(check("Chi cannot is not a phrase here: the maxim cannot be applied.")).isEmpty();
  }

  @Test
  void a_phrase_anywhere_in_a_short_answer_is_its_gist() {
    String lead = "Thanks for the question about the configuration of the build, which has many moving parts. ";
    assertThat(lead.length()).isLessThan(200).isGreaterThan(EscalationConfig.DEFAULTS.leadChars() - 20);
    assertThat(check(lead + "Honestly I don't know.")).contains(QualityFailure.HEDGING);
  }

  @Test
  void an_empty_answer_fails_and_a_short_one_fails_by_its_task_type() {
    assertThat(check("   ")).contains(QualityFailure.EMPTY);
    assertThat(check(PLAIN, TaskType.CONVERSATION, answer(new JsonObject().putNull("content"), "stop")))
      .contains(QualityFailure.EMPTY);
    assertThat(check(PLAIN, TaskType.CONVERSATION, text("Yes."))).isEmpty();
    assertThat(check(PLAIN, TaskType.CODE_GENERATION, text("x = 1"))).contains(QualityFailure.TOO_SHORT);
    assertThat(check(PLAIN, TaskType.CODE_GENERATION, text("def add(a, b):\n    return a + b"))).isEmpty();
  }

  @Test
  void an_answer_cut_at_the_output_limit_fails_first() {
    assertThat(check(PLAIN, TaskType.CONVERSATION, answer(new JsonObject().put("content", "I cannot"), "length")))
      .contains(QualityFailure.TRUNCATED);
  }

  @Test
  void an_explicit_refusal_field_fails() {
    assertThat(check(PLAIN, TaskType.CONVERSATION,
      answer(new JsonObject().putNull("content").put("refusal", "No."), "stop"))).contains(QualityFailure.REFUSAL);
  }

  @Test
  void json_requested_must_be_json_of_the_schema() {
    JsonObject jsonObject = chatRequest().put("response_format", new JsonObject().put("type", "json_object"));
    assertThat(check(jsonObject, TaskType.EXTRACTION, text("{\"a\": 1}"))).isEmpty();
    assertThat(check(jsonObject, TaskType.EXTRACTION, text("Sure! {\"a\": 1}"))).contains(QualityFailure.INVALID_JSON);
    assertThat(check(jsonObject, TaskType.EXTRACTION, text("[1, 2]"))).contains(QualityFailure.INVALID_JSON);

    JsonObject schema = new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("name", new JsonObject().put("type", "string"))
        .put("age", new JsonObject().put("type", "integer")))
      .put("required", new JsonArray().add("name"));
    JsonObject jsonSchema = chatRequest().put("response_format", new JsonObject().put("type", "json_schema")
      .put("json_schema", new JsonObject().put("name", "person").put("schema", schema)));
    assertThat(check(jsonSchema, TaskType.EXTRACTION, text("{\"name\": \"Ada\", \"age\": 36}"))).isEmpty();
    assertThat(check(jsonSchema, TaskType.EXTRACTION, text("{\"age\": 36}"))).contains(QualityFailure.INVALID_JSON);
    assertThat(check(jsonSchema, TaskType.EXTRACTION, text("{\"name\": \"Ada\", \"age\": 36.5}")))
      .contains(QualityFailure.INVALID_JSON);
    // a short JSON answer is data: no phrase or length check
    assertThat(check(jsonObject, TaskType.CODE_GENERATION, text("{\"note\": \"I cannot\"}"))).isEmpty();
  }

  @Test
  void tool_calls_must_name_a_declared_tool_with_arguments_of_its_schema() {
    JsonObject parameters = new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string"))
        .put("days", new JsonObject().put("type", "integer"))
        .put("unit", new JsonObject().put("type", "string").put("enum", new JsonArray().add("c").add("f"))))
      .put("required", new JsonArray().add("city"));
    JsonObject request = chatRequest().put("tools", new JsonArray().add(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "weather").put("parameters", parameters))));

    assertThat(check(request, TaskType.CONVERSATION, toolCall("weather", "{\"city\": \"Oslo\", \"days\": 3}")))
      .isEmpty();
    assertThat(check(request, TaskType.CONVERSATION, toolCall("weather", "{\"days\": 3}")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
    assertThat(check(request, TaskType.CONVERSATION, toolCall("weather", "{\"city\": 7}")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
    assertThat(check(request, TaskType.CONVERSATION, toolCall("weather", "{\"city\": \"Oslo\", \"unit\": \"k\"}")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
    assertThat(check(request, TaskType.CONVERSATION, toolCall("weather", "{\"city\": \"Oslo\"")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
    assertThat(check(request, TaskType.CONVERSATION, toolCall("forecast", "{\"city\": \"Oslo\"}")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
    assertThat(check(PLAIN, TaskType.CONVERSATION, toolCall("weather", "{\"city\": \"Oslo\"}")))
      .contains(QualityFailure.INVALID_TOOL_CALL);
  }

  @Test
  void every_choice_is_checked() {
    JsonObject two = text("A fine answer.");
    two.getJsonArray("choices").add(new JsonObject().put("index", 1)
      .put("message", new JsonObject().put("role", "assistant").put("content", "I cannot."))
      .put("finish_reason", "stop"));
    assertThat(check(PLAIN, TaskType.CONVERSATION, two)).contains(QualityFailure.REFUSAL);
  }

  @Test
  void configured_phrases_replace_the_defaults() {
    EscalationConfig config = new EscalationConfig(false, java.util.List.of("computer says no"), java.util.List.of(),
      100, 200, 1, java.util.Map.of());
    QualityCheck check = new QualityCheck(config);
    assertThat(check.failure(PLAIN, TaskType.CONVERSATION, text("Computer says no."))).contains(QualityFailure.REFUSAL);
    assertThat(check.failure(PLAIN, TaskType.CONVERSATION, text("I cannot."))).isEmpty();
  }

  private static JsonObject toolCall(String name, String arguments) {
    return answer(new JsonObject().putNull("content").put("tool_calls", new JsonArray().add(new JsonObject()
      .put("id", "call_1").put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments)))), "tool_calls");
  }
}
