package io.switchboard.api;

import io.switchboard.config.ConfigException;
import io.switchboard.config.GatewayConfig;
import io.switchboard.testkit.Chats;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code POST /v1/classify}: the classification of a chat body, by the configured tier, with no upstream call. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClassifyEndpointTest extends GatewayTest {

  /** Runs {@code test} against a second gateway (on its own Vert.x) with this classifier section. */
  private void withGateway(JsonObject classifier, Consumer<TestClient> test) {
    Vertx other = Vertx.vertx();
    try {
      GatewayUnderTest gateway = GatewayUnderTest.start(other,
        TestConfig.singleProvider(upstream.baseUrl()).put("classifier", classifier));
      TestClient model = gateway.client(other);
      try {
        test.accept(model);
      } finally {
        model.close();
      }
    } finally {
      other.close().await();
    }
  }

  private static JsonObject classification(TestClient client, JsonObject body) {
    TestClient.Result result = client.post("/v1/classify", body);
    assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
    assertThat(result.headers().get("content-type")).startsWith("application/json");
    assertThat(result.json().getString("request_id")).isNotBlank();
    return result.json().getJsonObject("classification");
  }

  private static double sum(JsonObject probabilities) {
    return probabilities.stream().mapToDouble(e -> ((Number) e.getValue()).doubleValue()).sum();
  }

  @Test
  void by_default_the_heuristic_answers() {
    JsonObject c = classification(client, Chats.chat("auto", "hi, how are you?"));

    assertThat(c.getString("tier")).isEqualTo("heuristic");
    assertThat(c.getString("task_type")).isEqualTo("conversation");
    assertThat(c.getJsonObject("features").getLong("prompt_tokens")).isPositive();
    assertThat(upstream.attempts()).as("no upstream call").isEmpty();
  }

  @Test
  void the_static_tier_answers_with_probabilities_that_add_up() {
    // a generous timeout: this test is about the answer, not about how fast a loaded machine gives it
    withGateway(new JsonObject().put("tier", "static").put("timeout_ms", 5_000), model -> {
      JsonObject c = classification(model, Chats.chat("auto",
        "Translate this paragraph into French: the meeting moved to Thursday at 10."));

      assertThat(c.getString("tier")).isEqualTo("static");
      assertThat(c.getJsonObject("task_type_probabilities")).hasSize(17);
      assertThat(sum(c.getJsonObject("task_type_probabilities"))).isCloseTo(1.0, within(1e-3));
      assertThat(sum(c.getJsonObject("complexity_probabilities"))).isCloseTo(1.0, within(1e-3));
      assertThat(c.getDouble("confidence"))
        .isEqualTo(c.getJsonObject("task_type_probabilities").getDouble(c.getString("task_type")));
    });
  }

  @Test
  void a_missing_model_file_leaves_the_heuristic_answering() {
    withGateway(new JsonObject().put("tier", "static").put("model", "models/static/missing.onnx"), model ->
      assertThat(classification(model, Chats.chat("auto", "hi, how are you?")).getString("tier"))
        .isEqualTo("heuristic"));
  }

  @Test
  void a_body_without_messages_is_an_invalid_request() {
    TestClient.Result result = client.post("/v1/classify", new JsonObject().put("model", "auto"));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.error().getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void an_unknown_tier_is_a_configuration_error() {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:1").put("classifier",
      new JsonObject().put("tier", "bert"));

    assertThatThrownBy(() -> GatewayConfig.from(config, TestConfig.ENV)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("classifier.tier");
  }
}
