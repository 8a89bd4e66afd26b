package io.switchboard.session;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A conversation stays on the model holding its prompt cache unless switching saves more than the cache is worth. */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionPinningTest {

  static final String SYSTEM = "You are a patient assistant for the billing service team. ".repeat(20);
  static final String SMALL_TALK = "Thanks, that helps a lot. How are you today?";
  static final String DEBUGGING = "Debug this: the service crashes with a NullPointerException stack trace in the "
    + "login handler. Why does it fail?";

  private Vertx vertx;
  private FakeProvider upstream;
  private GatewayUnderTest gateway;
  private TestClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    gateway = GatewayUnderTest.start(vertx, ClaudeCodeRig.config(upstream.baseUrl()));
    client = gateway.client(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    upstream.stop();
    vertx.close().await();
  }

  /** The conversation after {@code turns} user messages: small talk and debugging questions, alternating. */
  static JsonObject conversation(String policy, int turns) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM));
    for (int turn = 1; turn <= turns; turn++) {
      messages.add(new JsonObject().put("role", "user").put("content", turn % 2 == 1 ? SMALL_TALK : DEBUGGING));
      if (turn < turns) {
        messages.add(new JsonObject().put("role", "assistant")
          .put("content", "Answer " + turn + ": " + FakeProvider.ANSWER));
      }
    }
    return new JsonObject().put("model", policy).put("messages", messages);
  }

  private TestClient.Result chat(JsonObject body) {
    TestClient.Result result = client.post("/v1/chat/completions", body);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    return result;
  }

  @Test
  void a_growing_conversation_stays_on_its_model_for_twenty_turns_while_its_task_type_changes() {
    Set<String> taskTypes = new HashSet<>();
    for (int turn = 1; turn <= 20; turn++) {
      TestClient.Result result = chat(conversation("pinned", turn));
      String task = result.headers().get("x-switchboard-task-type");
      taskTypes.add(task);
      assertThat(result.headers().get("x-switchboard-model")).as("turn " + turn + " (" + task + ")").isEqualTo("fake-a");
      if (task.equals("debugging")) {
        assertThat(result.headers().get("x-switchboard-reasons")).as("turn " + turn)
          .contains("policy 'pinned': debugging goes to 'fake-b'")
          .containsPattern("pinned to 'fake-a': switching to 'fake-b' would save \\$0\\.000\\d+ but lose "
            + "\\$0\\.000\\d+ of cache");
      } else if (turn > 1) {
        assertThat(result.headers().get("x-switchboard-reasons")).as("turn " + turn)
          .contains("session stays on 'fake-a'");
      }
    }
    assertThat(taskTypes).as("the classifier saw the task change").contains("debugging", "conversation");
    assertThat(upstream.attempts("fake-b")).isEmpty();
  }

  @Test
  void a_pin_is_left_when_switching_saves_more_than_the_cache_is_worth() {
    assertThat(chat(conversation("pinned-far", 1)).headers().get("x-switchboard-model")).isEqualTo("fake-a");
    TestClient.Result second = chat(conversation("pinned-far", 2));
    assertThat(second.headers().get("x-switchboard-model")).isEqualTo("fake-c");
    assertThat(second.headers().get("x-switchboard-reasons"))
      .containsPattern("session moved from 'fake-a' to 'fake-c': switching saves \\$0\\.000\\d+, more than the "
        + "\\$0\\.000\\d+ of cache lost");
  }

  @Test
  void the_dry_run_explains_the_pin_with_both_estimates() {
    chat(conversation("pinned", 1));
    JsonObject decision = client.post("/v1/route", conversation("pinned", 2)).json();
    assertThat(decision.getString("model")).isEqualTo("fake-a");
    String pinned = decision.getJsonArray("reasons").stream().map(String.class::cast)
      .filter(r -> r.startsWith("pinned to")).findFirst().orElseThrow();
    // saving: fake-a's estimate minus fake-b's (input 1.00 vs 0.50 $/M, both 1.00 $/M for 512 output tokens); the
    // cache value: the first turn's prompt, now a prefix, at fake-a's input minus cached-input rate (1.00 - 0.10 $/M)
    long prompt = decision.getJsonObject("classification").getJsonObject("features").getLong("prompt_tokens");
    long costA = prompt + 512;                                  // default_output_tokens at $1/M
    long costB = (prompt * 500_000 + 512 * 1_000_000 + 500_000) / 1_000_000;
    long saving = costA - costB;
    assertThat(pinned).contains("would save $" + io.switchboard.cost.Money.usd(saving) + " but lose $");
  }

  @Test
  void a_request_naming_a_model_is_never_pinned_and_leaves_the_pin_alone() {
    chat(conversation("pinned", 1));
    JsonObject named = conversation("fake-b", 2);
    TestClient.Result result = chat(named);
    assertThat(result.headers().get("x-switchboard-model")).isEqualTo("fake-b");
    assertThat(result.headers().get("x-switchboard-reasons")).doesNotContain("pinned to").doesNotContain("session");
    assertThat(chat(conversation("pinned", 2)).headers().get("x-switchboard-model")).isEqualTo("fake-a");
  }

  @Test
  void an_explicit_session_header_names_the_conversation() {
    JsonObject first = new JsonObject().put("model", "pinned").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", SYSTEM))
      .add(new JsonObject().put("role", "user").put("content", SMALL_TALK)));
    client.send(io.vertx.core.http.HttpMethod.POST, "/v1/chat/completions", first.toBuffer(),
      java.util.Map.of("content-type", "application/json", "x-switchboard-session", "ticket-42"));
    // a different opening: without the header this would be another conversation
    JsonObject later = new JsonObject().put("model", "pinned").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", SYSTEM))
      .add(new JsonObject().put("role", "user").put("content", DEBUGGING)));
    TestClient.Result named = client.send(io.vertx.core.http.HttpMethod.POST, "/v1/chat/completions",
      later.toBuffer(), java.util.Map.of("content-type", "application/json", "x-switchboard-session", "ticket-42"));
    assertThat(named.headers().get("x-switchboard-model")).isEqualTo("fake-a");
    assertThat(chat(later).headers().get("x-switchboard-model")).as("no session named: its own conversation")
      .isEqualTo("fake-b");
  }
}
