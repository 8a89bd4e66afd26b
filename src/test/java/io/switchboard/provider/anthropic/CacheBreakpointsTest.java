package io.switchboard.provider.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Automatic {@code cache_control} marks on the static prefix of an Anthropic request. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CacheBreakpointsTest {

  private static final JsonObject EPHEMERAL = new JsonObject().put("type", "ephemeral");
  private final CacheBreakpoints breakpoints = new CacheBreakpoints(1024);

  /** About {@code words} tokens of text. */
  private static String words(int words) {
    return "alpha ".repeat(words).trim();
  }

  private static JsonObject tool(String name, String description) {
    return new JsonObject().put("name", name).put("description", description)
      .put("input_schema", new JsonObject().put("type", "object"));
  }

  private static JsonObject request(Object system, JsonArray tools) {
    JsonObject body = new JsonObject().put("model", "m").put("max_tokens", 10);
    if (system != null) {
      body.put("system", system);
    }
    if (tools != null) {
      body.put("tools", tools);
    }
    return body.put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  @Test
  void long_tools_and_system_get_a_mark_each_on_their_last_entry_and_the_originals_are_left_alone() {
    JsonArray tools = new JsonArray().add(tool("a", words(700))).add(tool("b", words(700)));
    JsonArray system = new JsonArray().add(new JsonObject().put("type", "text").put("text", "You are terse."))
      .add(new JsonObject().put("type", "text").put("text", words(100)));
    JsonObject body = request(system, tools);
    JsonArray toolsBefore = tools.copy();
    JsonArray systemBefore = system.copy();

    int added = breakpoints.add(body);

    assertThat(added).isEqualTo(2);
    assertThat(body.getJsonArray("tools").getJsonObject(0)).isEqualTo(toolsBefore.getJsonObject(0));
    assertThat(body.getJsonArray("tools").getJsonObject(1))
      .isEqualTo(toolsBefore.getJsonObject(1).copy().put("cache_control", EPHEMERAL));
    assertThat(body.getJsonArray("system").getJsonObject(0)).isEqualTo(systemBefore.getJsonObject(0));
    assertThat(body.getJsonArray("system").getJsonObject(1))
      .isEqualTo(systemBefore.getJsonObject(1).copy().put("cache_control", EPHEMERAL));
    assertThat(CacheBreakpoints.marks(body)).isEqualTo(2).isLessThanOrEqualTo(CacheBreakpoints.MAX_BREAKPOINTS);
    assertThat(tools).as("the client's arrays are not modified").isEqualTo(toolsBefore);
    assertThat(system).isEqualTo(systemBefore);
  }

  @Test
  void a_long_system_string_becomes_one_marked_text_block() {
    String prompt = words(1_200);
    JsonObject body = request(prompt, null);

    assertThat(breakpoints.add(body)).isEqualTo(1);
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", prompt).put("cache_control", EPHEMERAL)));
  }

  @Test
  void short_tools_are_not_marked_but_the_system_block_that_brings_the_prefix_to_the_minimum_is() {
    JsonObject body = request(words(700), new JsonArray().add(tool("a", words(500))));

    assertThat(breakpoints.add(body)).isEqualTo(1);
    assertThat(body.getJsonArray("tools").getJsonObject(0).containsKey("cache_control")).isFalse();
    assertThat(body.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
  }

  @Test
  void a_prefix_under_the_minimum_is_left_as_it_is() {
    JsonObject body = request(words(300), new JsonArray().add(tool("a", words(300))));
    JsonObject before = body.copy();

    assertThat(breakpoints.add(body)).isZero();
    assertThat(body).isEqualTo(before);
    assertThat(new CacheBreakpoints(500).add(body)).as("a lower configured minimum").isEqualTo(1);
  }

  @Test
  void a_request_that_marks_anything_itself_is_left_as_it_is() {
    JsonArray tools = new JsonArray().add(tool("a", words(1_500)));
    JsonObject inMessage = request(words(1_500), tools);
    inMessage.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "hi").put("cache_control", EPHEMERAL)));
    JsonObject inToolResult = request(words(1_500), tools);
    inToolResult.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
      .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "t1").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "ok").put("cache_control", EPHEMERAL)))));
    JsonObject topLevel = request(words(1_500), tools).put("cache_control", EPHEMERAL);

    for (JsonObject body : new JsonObject[] {inMessage, inToolResult, topLevel}) {
      JsonObject before = body.copy();
      assertThat(breakpoints.add(body)).isZero();
      assertThat(body).isEqualTo(before);
    }
  }
}
