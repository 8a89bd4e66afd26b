package io.switchboard.route;

import io.switchboard.config.DecisionCacheConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DecisionCacheTest {

  private final AtomicLong now = new AtomicLong();

  private static JsonArray messages(String text) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
  }

  private static String key(String model, JsonArray messages, Constraints constraints, boolean economy) {
    return DecisionCache.key(model, messages, 0, 0, constraints, economy);
  }

  @Test
  void prompts_that_differ_only_in_whitespace_or_key_order_share_a_key() {
    JsonArray reordered = new JsonArray().add(new JsonObject().put("content", "  Summarise\n\nthis   text ")
      .put("role", "user"));

    assertThat(key("auto", messages("Summarise this text"), Constraints.NONE, false))
      .isEqualTo(key("auto", reordered, Constraints.NONE, false))
      .hasSize(64).doesNotContain("Summarise");
  }

  @Test
  void policy_text_constraints_output_and_economy_each_change_the_key() {
    String base = key("auto", messages("hello"), Constraints.NONE, false);

    assertThat(key("auto:cost", messages("hello"), Constraints.NONE, false)).isNotEqualTo(base);
    assertThat(key("auto", messages("hello!"), Constraints.NONE, false)).isNotEqualTo(base);
    assertThat(key("auto", messages("hello"), new Constraints(OptionalLong.empty(), OptionalInt.of(80),
      OptionalLong.empty()), false)).isNotEqualTo(base);
    assertThat(key("auto", messages("hello"), Constraints.NONE, true)).isNotEqualTo(base);
    assertThat(DecisionCache.key("auto", messages("hello"), 0, 100, Constraints.NONE, false)).isNotEqualTo(base);
    assertThat(DecisionCache.key("auto", messages("hello"), 40, 0, Constraints.NONE, false)).isNotEqualTo(base);
  }

  @Test
  void an_entry_is_served_until_its_ttl_passes() {
    DecisionCache<String> cache = new DecisionCache<>(new DecisionCacheConfig(60, 10), now::get);
    cache.put("k", "decision");

    now.addAndGet(59_999_999_999L);
    assertThat(cache.get("k")).isEqualTo("decision");
    now.addAndGet(1);
    assertThat(cache.get("k")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void the_least_recently_used_entry_goes_first_past_max_entries() {
    DecisionCache<String> cache = new DecisionCache<>(new DecisionCacheConfig(60, 2), now::get);
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.put("c", "3");

    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo("1");
    assertThat(cache.get("c")).isEqualTo("3");
    assertThat(cache.size()).isEqualTo(2);
  }
}
