package io.switchboard.config;

import io.switchboard.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code providers.NAME.type}: the wire format of a provider. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProviderTypeTest {

  private static JsonObject withType(Object type) {
    JsonObject config = TestConfig.singleProvider("http://127.0.0.1:9/v1");
    config.getJsonObject("providers").getJsonObject("fake").put("type", type);
    return config;
  }

  @Test
  void a_provider_without_a_type_speaks_openai() {
    GatewayConfig config = GatewayConfig.from(TestConfig.singleProvider("http://127.0.0.1:9/v1"), TestConfig.ENV);

    assertThat(config.providers().get("fake").type()).isEqualTo(ProviderConfig.Type.OPENAI);
  }

  @Test
  void anthropic_and_gemini_are_read_in_any_case() {
    assertThat(GatewayConfig.from(withType("anthropic"), TestConfig.ENV).providers().get("fake").type())
      .isEqualTo(ProviderConfig.Type.ANTHROPIC);
    assertThat(GatewayConfig.from(withType("Gemini"), TestConfig.ENV).providers().get("fake").type())
      .isEqualTo(ProviderConfig.Type.GEMINI);
  }

  @Test
  void an_unknown_type_is_named() {
    assertThatThrownBy(() -> GatewayConfig.from(withType("bedrock"), TestConfig.ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessage("providers.fake.type: must be openai, anthropic or gemini");
  }
}
