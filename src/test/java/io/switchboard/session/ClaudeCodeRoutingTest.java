package io.switchboard.session;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Claude-Code-shaped requests through {@code /v1/messages}: each scenario is routed by the policy's scenario rule. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaudeCodeRoutingTest {

  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
    "anthropic-version", "2023-06-01");
  private static final String MAIN_SYSTEM = "You are Claude Code, Anthropic's official CLI for Claude. You are an "
    + "interactive CLI tool that helps users with software engineering tasks.";
  private static final String SUBAGENT_SYSTEM = "You are an agent for Claude Code, Anthropic's official CLI for "
    + "Claude. Given the user's message, you should use the tools available to complete the task.";
  private static final String TOPIC_SYSTEM = "Analyze if this message indicates a new conversation topic. If it does, "
    + "extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: "
    + "'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false).";

  private Vertx vertx;
  private FakeProvider upstream;
  private TestClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    client = GatewayUnderTest.start(vertx, ClaudeCodeRig.config(upstream.baseUrl())).client(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    upstream.stop();
    vertx.close().await();
  }

  private static JsonArray tools() {
    JsonArray tools = new JsonArray();
    for (String name : new String[] {"Task", "Bash", "Grep", "Read", "Edit"}) {
      tools.add(new JsonObject().put("name", name).put("description", name + " tool")
        .put("input_schema", new JsonObject().put("type", "object").put("properties", new JsonObject())));
    }
    return tools;
  }

  private static JsonObject request(String session, String system, String user, int maxTokens, boolean withTools) {
    JsonObject body = new JsonObject().put("model", "claude-code").put("max_tokens", maxTokens)
      .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", system)
        .put("cache_control", new JsonObject().put("type", "ephemeral"))))
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", user)))
      .put("metadata", new JsonObject().put("user_id", "user_0f3a_account__session_" + session));
    return withTools ? body.put("tools", tools()) : body;
  }

  private TestClient.Result send(JsonObject body) {
    TestClient.Result result = client.send(HttpMethod.POST, "/v1/messages", body.toBuffer(), HEADERS);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result;
  }

  private static void routedTo(TestClient.Result result, String model, String scenario) {
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo(model);
    assertThat(result.headers().get("x-switchboard-reasons")).contains("scenario " + scenario + ":")
      .contains("policy 'claude-code': scenario " + scenario + " goes to '" + model + "'");
  }

  @Test
  void a_title_request_goes_to_the_background_model() {
    routedTo(send(request("s1", TOPIC_SYSTEM, "the login test is flaky again", 512, false)), "fake-fast", "background");
  }

  @Test
  void an_agent_turn_with_tools_goes_to_the_main_model() {
    routedTo(send(request("s1", MAIN_SYSTEM, "add input validation to the signup form", 2_000, true)), "fake-premium",
      "main");
  }

  @Test
  void a_turn_asking_for_thinking_goes_to_the_reasoning_model() {
    JsonObject body = request("s1", MAIN_SYSTEM, "why does this deadlock under load?", 2_000, true)
      .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 1_024));
    routedTo(send(body), "fake-reasoner", "thinking");
  }

  @Test
  void a_long_prompt_goes_to_the_long_context_model() {
    String file = "public final class Parser { int parse(String line) { return line.length(); } }\n".repeat(200);
    routedTo(send(request("s1", MAIN_SYSTEM, "review this file:\n" + file, 2_000, true)), "fake-long", "long_context");
  }

  @Test
  void a_sub_agent_is_told_from_its_sessions_main_turn_by_its_system_prompt() {
    routedTo(send(request("s7", MAIN_SYSTEM, "find where the config is parsed and fix the bug", 2_000, true)),
      "fake-premium", "main");
    routedTo(send(request("s7", SUBAGENT_SYSTEM, "Find every caller of parseConfig", 2_000, true)), "fake-mid",
      "subagent");
    routedTo(send(request("s7", MAIN_SYSTEM, "now run the tests", 2_000, true)), "fake-premium", "main");
    // another session whose first agent turn has the sub-agent's prompt: that is its main thread
    routedTo(send(request("s8", SUBAGENT_SYSTEM, "Find every caller of parseConfig", 2_000, true)), "fake-premium",
      "main");
  }

  @Test
  void the_dry_run_shows_the_scenario() {
    JsonObject chat = new JsonObject().put("model", "claude-code")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "list the files")))
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "ls")
          .put("parameters", new JsonObject().put("type", "object")))));
    JsonObject decision = client.post("/v1/route", chat).json();
    assertThat(decision.getString("scenario")).isEqualTo("main");
    assertThat(decision.getString("model")).isEqualTo("fake-premium");
    chat.remove("tools");
    JsonObject plain = client.post("/v1/route", chat).json();
    assertThat(plain.getString("scenario")).isEqualTo("default");
    assertThat(plain.getString("model")).isEqualTo("fake-cheap");
  }
}
