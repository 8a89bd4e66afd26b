package io.switchboard.responses;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ResponsesConfig;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemoryResponseStoreTest {

  private final AtomicLong now = new AtomicLong();

  private static StoredResponse response(String id, String text) {
    return new StoredResponse(new JsonObject().put("id", id).put("output", new JsonArray()
      .add(new JsonObject().put("type", "message").put("text", text))), new JsonArray()
      .add(new JsonObject().put("type", "message").put("role", "user").put("content", "hi")));
  }

  @Test
  void a_response_is_found_only_by_its_tenant_and_only_until_its_ttl() {
    MemoryResponseStore store = new MemoryResponseStore(new ResponsesConfig(Duration.ofSeconds(10), 100, 1 << 20),
      now::get);
    store.put("key:vk_a", response("resp_1", "hello")).await();

    assertThat(store.get("key:vk_b", "resp_1").await()).isEmpty();
    assertThat(store.delete("key:vk_b", "resp_1").await()).isFalse();
    StoredResponse found = store.get("key:vk_a", "resp_1").await().orElseThrow();
    assertThat(found.conversation()).hasSize(2);
    found.response().put("id", "changed");
    assertThat(store.get("key:vk_a", "resp_1").await().orElseThrow().id()).isEqualTo("resp_1");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10) - 1);
    assertThat(store.get("key:vk_a", "resp_1").await()).isPresent();
    now.addAndGet(1);
    assertThat(store.get("key:vk_a", "resp_1").await()).isEmpty();
    assertThat(store.size()).isZero();

    store.put("key:vk_a", response("resp_2", "again")).await();
    assertThat(store.delete("key:vk_a", "resp_2").await()).isTrue();
    assertThat(store.get("key:vk_a", "resp_2").await()).isEmpty();
    assertThat(store.delete("key:vk_a", "resp_2").await()).isFalse();
  }

  @Test
  void the_least_recently_used_go_first_when_entries_or_bytes_run_out() {
    MemoryResponseStore byCount = new MemoryResponseStore(new ResponsesConfig(Duration.ofHours(1), 2, 1 << 20),
      now::get);
    byCount.put("t", response("resp_1", "a")).await();
    byCount.put("t", response("resp_2", "b")).await();
    byCount.get("t", "resp_1").await();
    byCount.put("t", response("resp_3", "c")).await();
    assertThat(byCount.get("t", "resp_2").await()).isEmpty();
    assertThat(byCount.get("t", "resp_1").await()).isPresent();

    int size = response("resp_1", "x".repeat(100)).toBuffer().length();
    MemoryResponseStore byBytes = new MemoryResponseStore(new ResponsesConfig(Duration.ofHours(1), 100, size * 2L + 10),
      now::get);
    byBytes.put("t", response("resp_1", "x".repeat(100))).await();
    byBytes.put("t", response("resp_2", "x".repeat(100))).await();
    byBytes.put("t", response("resp_3", "x".repeat(100))).await();
    assertThat(byBytes.size()).isEqualTo(2);
    assertThat(byBytes.get("t", "resp_1").await()).isEmpty();
    assertThatThrownBy(() -> byBytes.put("t", response("resp_4", "x".repeat(1000))).await())
      .hasMessageContaining("max_bytes");
  }

  @Test
  void the_responses_section_has_defaults_and_refuses_unknown_keys() {
    GatewayConfig defaults = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:1/v1"), TestConfig.ENV);
    assertThat(defaults.responses()).isEqualTo(new ResponsesConfig(Duration.ofDays(1), 10_000, 64L * 1024 * 1024));

    GatewayConfig set = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:1/v1")
      .put("responses", new JsonObject().put("ttl_seconds", 60).put("max_entries", 5).put("max_bytes", 4096)),
      TestConfig.ENV);
    assertThat(set.responses()).isEqualTo(new ResponsesConfig(Duration.ofSeconds(60), 5, 4096));

    assertThatThrownBy(() -> GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:1/v1")
      .put("responses", new JsonObject().put("ttl", 60)), TestConfig.ENV))
      .hasMessageContaining("responses.ttl: unknown key");
  }
}
