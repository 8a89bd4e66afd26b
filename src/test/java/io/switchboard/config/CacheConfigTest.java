package io.switchboard.config;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CacheConfigTest {

  private static GatewayConfig with(JsonObject cache) {
    return GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1").put("cache", cache), TestConfig.ENV);
  }

  @Test
  void without_a_cache_section_the_cache_is_on_with_an_hour_of_ttl() {
    CacheConfig cache = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1"), TestConfig.ENV).cache();

    assertThat(cache).isEqualTo(new CacheConfig(true, Duration.ofHours(1), 10_000, 64L * 1024 * 1024, 1024 * 1024));
  }

  @Test
  void the_shipped_configuration_spells_out_the_defaults() {
    CacheConfig shipped = GatewayConfig.from(ConfigLoader.readFile(Path.of("conf/switchboard.yaml")), Map.of()).cache();

    assertThat(shipped).isEqualTo(with(new JsonObject()).cache());
  }

  @Test
  void every_key_is_read() {
    CacheConfig cache = with(new JsonObject().put("enabled", false).put("ttl_seconds", 60).put("max_entries", 5)
      .put("max_bytes", 4096).put("max_entry_bytes", 2048)).cache();

    assertThat(cache).isEqualTo(new CacheConfig(false, Duration.ofSeconds(60), 5, 4096, 2048));
  }

  @Test
  void unknown_keys_and_impossible_sizes_are_refused_by_name() {
    assertThatThrownBy(() -> with(new JsonObject().put("ttl", 60))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("cache.ttl: unknown key");
    assertThatThrownBy(() -> with(new JsonObject().put("ttl_seconds", 0))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("cache.ttl_seconds: ");
    assertThatThrownBy(() -> with(new JsonObject().put("max_bytes", 4096).put("max_entry_bytes", 8192)))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("cache.max_entry_bytes: must not be above max_bytes");
  }
}
