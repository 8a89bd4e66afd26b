package io.switchboard.anthropic;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayTest;
import io.switchboard.testkit.TestClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache behind the Anthropic front door: a hit is the same message, as JSON or as a replayed stream. */
@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnthropicCacheTest extends GatewayTest {

  private TestClient.Result messages(JsonObject body) {
    return client.send(HttpMethod.POST, "/v1/messages", body.toBuffer(), MessagesEndpointTest.HEADERS);
  }

  @Test
  void a_deterministic_message_is_answered_once_then_from_the_cache_as_json_and_as_a_stream() {
    JsonObject body = MessagesEndpointTest.hello("fake-cheap").put("temperature", 0);

    TestClient.Result first = messages(body);
    TestClient.Result hit = messages(body);
    TestClient.Result streamedHit = messages(body.copy().put("stream", true));

    assertThat(first.headers().get("x-switchboard-cache")).isEqualTo("miss");
    assertThat(hit.headers().get("x-switchboard-cache")).isEqualTo("hit");
    assertThat(hit.json()).isEqualTo(first.json());
    assertThat(streamedHit.headers().get("x-switchboard-cache")).isEqualTo("hit");
    List<Map.Entry<String, JsonObject>> events = MessagesEndpointTest.events(streamedHit);
    assertThat(events.stream().map(Map.Entry::getKey)).containsExactly("message_start", "ping",
      "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(3).getValue().getJsonObject("delta").getString("text")).isEqualTo(FakeProvider.ANSWER);
    assertThat(events.get(5).getValue().getJsonObject("usage")).isEqualTo(first.json().getJsonObject("usage"));
    assertThat(upstream.attempts()).hasSize(1);
  }
}
