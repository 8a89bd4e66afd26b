package io.switchboard.config;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code providers.NAME.auto_cache_control} and {@code auto_cache_min_tokens}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AutoCacheControlConfigTest {

  private static JsonObject provider(JsonObject config) {
    return config.getJsonObject("providers").getJsonObject("fake");
  }

  @Test
  void it_is_off_by_default_with_anthropics_minimum() {
    ProviderConfig fake = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1"), TestConfig.ENV)
      .providers().get("fake");

    assertThat(fake.autoCacheControl()).isFalse();
    assertThat(fake.autoCacheMinTokens()).isEqualTo(1024);
  }

  @Test
  void an_anthropic_provider_takes_it_with_its_own_minimum() {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    provider(config).put("type", "anthropic").put("auto_cache_control", true).put("auto_cache_min_tokens", 2048);

    ProviderConfig fake = GatewayConfig.from(config, TestConfig.ENV).providers().get("fake");

    assertThat(fake.autoCacheControl()).isTrue();
    assertThat(fake.autoCacheMinTokens()).isEqualTo(2048);
  }

  @Test
  void another_type_cannot_take_it() {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    provider(config).put("auto_cache_control", true);

    assertThatThrownBy(() -> GatewayConfig.from(config, TestConfig.ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessage("providers.fake.auto_cache_control: only providers of type anthropic take cache_control");
  }
}
