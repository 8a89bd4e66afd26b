package io.switchboard.config;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnalyticsConfigTest {

  private static AnalyticsConfig with(JsonObject analytics, Map<String, String> env) {
    return GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1").put("analytics", analytics), env)
      .analytics();
  }

  private static AnalyticsConfig with(JsonObject analytics) {
    return with(analytics, TestConfig.ENV);
  }

  @Test
  void without_an_analytics_section_the_ledger_is_a_sqlite_file_under_state_without_prompts() {
    AnalyticsConfig analytics = with(new JsonObject());

    assertThat(analytics).isEqualTo(new AnalyticsConfig(AnalyticsConfig.Backend.SQLITE, Path.of("state"),
      Optional.empty(), 200, 500, 50_000, Duration.ofDays(90), false, 2_000, InsightsConfig.DEFAULTS));
    assertThat(analytics.enabled()).isTrue();
  }

  @Test
  void the_shipped_configuration_spells_out_the_defaults() {
    AnalyticsConfig shipped = GatewayConfig.from(ConfigLoader.readFile(Path.of("conf/switchboard.yaml")), Map.of())
      .analytics();

    assertThat(shipped).isEqualTo(with(new JsonObject()));
  }

  @Test
  void every_key_is_read_and_the_postgres_password_comes_from_the_environment() {
    AnalyticsConfig analytics = with(new JsonObject().put("ledger", "postgres").put("data_dir", "/var/lib/sb")
      .put("postgres", new JsonObject().put("url", "postgresql://sb@db:5432/ledger").put("password_env", "PG_PW"))
      .put("flush_ms", 50).put("batch_rows", 10).put("buffer_rows", 100).put("retention_days", 0)
      .put("store_prompts", true).put("prompt_max_chars", 80), Map.of("PG_PW", "s3cret"));

    assertThat(analytics).isEqualTo(new AnalyticsConfig(AnalyticsConfig.Backend.POSTGRES, Path.of("/var/lib/sb"),
      Optional.of(new AnalyticsConfig.Postgres("postgresql://sb@db:5432/ledger", "s3cret")), 50, 10, 100,
      Duration.ZERO, true, 80, InsightsConfig.DEFAULTS));
    assertThat(analytics.postgres().orElseThrow().toString()).doesNotContain("s3cret");
    assertThat(with(new JsonObject().put("ledger", "none")).enabled()).isFalse();
  }

  @Test
  void unknown_keys_and_impossible_values_are_refused_by_name() {
    assertThatThrownBy(() -> with(new JsonObject().put("ledger", "mysql"))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("analytics.ledger: must be sqlite, postgres or none");
    assertThatThrownBy(() -> with(new JsonObject().put("retention", 3))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("analytics.retention: unknown key");
    assertThatThrownBy(() -> with(new JsonObject().put("ledger", "postgres"))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("analytics.postgres.url: is required");
    assertThatThrownBy(() -> with(new JsonObject().put("postgres", new JsonObject().put("url", "mysql://x"))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("analytics.postgres.url: must start with");
    assertThatThrownBy(() -> with(new JsonObject().put("batch_rows", 100).put("buffer_rows", 10)))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("analytics.buffer_rows: must be at least");
    assertThatThrownBy(() -> with(new JsonObject().put("flush_ms", 0))).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("analytics.flush_ms: must be between");
  }
}
