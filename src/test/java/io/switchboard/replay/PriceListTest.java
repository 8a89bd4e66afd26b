package io.switchboard.replay;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PriceListTest {

  @TempDir
  Path dir;

  @Test
  void the_shipped_prices_cover_the_models_of_the_shared_outcome_data_each_with_a_source() {
    PriceList prices = PriceList.load(null);

    assertThat(prices.origin()).isEqualTo(PriceList.DEFAULT_FILE.toString());
    assertThat(prices.models()).containsOnlyKeys("gpt-4-1106-preview", "gpt-4-0314", "gpt-3.5-turbo",
      "gpt-3.5-turbo-1106", "claude-2.1", "claude-1", "claude-instant-1", "mistralai/Mixtral-8x7B-Instruct-v0.1",
      "mistralai/Mistral-7B-Instruct-v0.1", "palm-2-chat-bison-001", "Llama-2-70b-chat", "vicuna-33b-v1.3",
      "llama-13b", "Starling-LM-7B-alpha", "openchat_3.5");
    assertThat(prices.models().values()).allSatisfy(p -> {
      assertThat(p.source()).isNotBlank();
      assertThat(p.input()).isPositive();
      assertThat(p.output()).isPositive();
    });
    assertThat(prices.price("gpt-4-1106-preview")).isEqualTo(new PriceList.ModelPrice(10, 30, "list",
      prices.price("gpt-4-1106-preview").source()));
  }

  @Test
  void a_price_without_its_source_is_refused_naming_the_key() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  m: {input: 1, output: 2}\n");

    assertThatThrownBy(() -> PriceList.load(file))
      .isInstanceOf(ReplayException.class)
      .hasMessage(file + ": models.m.source: is required");
  }

  @Test
  void an_unknown_basis_is_refused() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  m: {input: 1, output: 2, source: x, basis: rumour}\n");

    assertThatThrownBy(() -> PriceList.load(file)).hasMessageContaining("models.m.basis: must be list, hosting or estimate");
  }
}
