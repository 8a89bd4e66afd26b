package io.switchboard.cache;

import io.switchboard.cost.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ResponseCache} does; each implementation's test supplies one. */
abstract class ResponseCacheContract {

  static final Duration HOUR = Duration.ofHours(1);

  abstract ResponseCache cache();

  static JsonObject request(String prompt) {
    return new JsonObject().put("model", "fake-cheap").put("temperature", 0)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  static CachedAnswer answer(String text) {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
      .put("model", "fake-cheap").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", text)).put("finish_reason", "stop")));
    return new CachedAnswer(completion.toBuffer(), "fake-cheap", "auto", "conversation", "low",
      new Usage(12, 5, 2, 0, false));
  }

  @Test
  void an_answer_put_is_got_back_whole() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    CachedAnswer answer = answer("Hello!");

    cache().put(key, answer, HOUR).await();

    CachedAnswer got = cache().get(key).await().orElseThrow();
    assertThat(got.completion().toJsonObject()).isEqualTo(answer.completion().toJsonObject());
    assertThat(got.model()).isEqualTo("fake-cheap");
    assertThat(got.policy()).isEqualTo("auto");
    assertThat(got.taskType()).isEqualTo("conversation");
    assertThat(got.complexity()).isEqualTo("low");
    assertThat(got.usage()).isEqualTo(answer.usage());
  }

  @Test
  void an_unknown_key_is_empty() {
    assertThat(cache().get(CacheKey.of("anonymous", request("never stored"))).await()).isEmpty();
  }

  @Test
  void a_put_replaces_the_answer_under_its_key() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    cache().put(key, answer("first"), HOUR).await();
    cache().put(key, answer("second"), HOUR).await();

    assertThat(text(cache().get(key).await().orElseThrow())).isEqualTo("second");
  }

  @Test
  void two_tenants_never_share_an_entry() {
    JsonObject request = request("the same prompt");
    cache().put(CacheKey.of("key:alice", request), answer("for alice"), HOUR).await();

    assertThat(cache().get(CacheKey.of("key:bob", request)).await()).isEmpty();
    assertThat(cache().get(CacheKey.of("anonymous", request)).await()).isEmpty();
    cache().put(CacheKey.of("key:bob", request), answer("for bob"), HOUR).await();
    assertThat(text(cache().get(CacheKey.of("key:alice", request)).await().orElseThrow())).isEqualTo("for alice");
    assertThat(text(cache().get(CacheKey.of("key:bob", request)).await().orElseThrow())).isEqualTo("for bob");
  }

  @Test
  void what_a_caller_does_with_a_got_answer_does_not_change_the_entry() {
    CacheKey key = CacheKey.of("anonymous", request("hello"));
    cache().put(key, answer("kept"), HOUR).await();

    Buffer got = cache().get(key).await().orElseThrow().completion();
    got.setByte(0, (byte) ' ');

    assertThat(text(cache().get(key).await().orElseThrow())).isEqualTo("kept");
  }

  static String text(CachedAnswer answer) {
    return answer.completion().toJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
      .getString("content");
  }
}
