package io.switchboard.config;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code analytics.suggestions} and {@code analytics.alerts}: the thresholds of the insights report. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InsightsConfigTest {

  private static JsonObject config(JsonObject analytics) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("analytics").mergeIn(analytics);
    return config;
  }

  @Test
  void the_shipped_file_says_what_the_code_defaults_to() {
    InsightsConfig shipped = GatewayConfig.from(ConfigLoader.readFile(Path.of("conf/switchboard.yaml")), Map.of())
      .analytics().insights();

    assertThat(shipped).isEqualTo(InsightsConfig.DEFAULTS);
    assertThat(GatewayConfig.from(config(new JsonObject()), TestConfig.ENV).analytics().insights())
      .isEqualTo(InsightsConfig.DEFAULTS);
  }

  @Test
  void every_threshold_can_be_set() {
    InsightsConfig set = GatewayConfig.from(config(new JsonObject()
      .put("suggestions", new JsonObject().put("min_requests", 50).put("success_margin", 0.05))
      .put("alerts", new JsonObject().put("min_requests", 10).put("low_confidence", 0.4)
        .put("high_escalation_rate", 0.3).put("cost_anomaly_factor", 3).put("trailing_days", 14)
        .put("low_savings_pct", 25))), TestConfig.ENV).analytics().insights();

    assertThat(set).isEqualTo(new InsightsConfig(50, 0.05, 10, 0.4, 0.3, 3.0, 14, 25.0));
  }

  @Test
  void a_typo_or_a_value_out_of_range_is_named() {
    assertThatThrownBy(() -> GatewayConfig.from(config(new JsonObject()
      .put("alerts", new JsonObject().put("low_confidance", 0.4))), TestConfig.ENV))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("analytics.alerts.low_confidance: unknown key");
    assertThatThrownBy(() -> GatewayConfig.from(config(new JsonObject()
      .put("suggestions", new JsonObject().put("success_margin", 2))), TestConfig.ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessage("analytics.suggestions.success_margin: must be between 0.0 and 1.0, got 2.0");
  }
}
