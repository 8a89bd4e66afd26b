package io.switchboard.replay;

import io.switchboard.classify.TokenCounter;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkloadsTest {

  private static final Path DATA = Path.of("src", "test", "resources", "replay");

  @TempDir
  Path dir;

  @Test
  void an_mmlu_folder_gives_one_prompt_per_row_without_the_contaminated_ones() {
    Workload mmlu = Workloads.read(DATA.resolve("routellm"), false);

    assertThat(mmlu.excluded()).isEqualTo(1);
    assertThat(mmlu.strong()).isEqualTo("strong-model");
    assertThat(mmlu.outcomeModels()).containsExactly("weak-model", "strong-model");
    assertThat(mmlu.items()).extracting(ReplayItem::id).containsExactly("mmlu_anatomy:0", "mmlu_anatomy:1");
    ReplayItem dished = mmlu.items().get(1);
    assertThat(dished.category()).isEqualTo("anatomy");
    assertThat(dished.outcomes()).isEqualTo(Map.of("weak-model", 0.0, "strong-model", 1.0));
    assertThat(dished.outputTokens()).isEqualTo(1);
    assertThat(dished.request().messages().getJsonObject(0).getString("content"))
      .startsWith("A \"dished face\" profile is often associated with\nA. acromegaly").endsWith("Answer:");
  }

  @Test
  void contaminated_prompts_stay_when_asked() {
    assertThat(Workloads.read(DATA.resolve("routellm"), true).items()).hasSize(3);
  }

  @Test
  void a_gsm8k_file_counts_each_models_own_answer_as_its_output() {
    Workload gsm8k = Workloads.read(DATA.resolve("routellm").resolve("gsm8k_responses.csv"), false);

    ReplayItem item = gsm8k.items().get(0);
    assertThat(item.category()).isNull();
    assertThat(item.outputTokensByModel()).isEqualTo(Map.of(
      "weak-model", (long) TokenCounter.count("2 + 3 = 5\n#### 5"),
      "strong-model", (long) TokenCounter.count("The answer is 5.")));
  }

  @Test
  void arena_bench_drops_a_question_with_a_missing_score() {
    Workload arena = Workloads.read(DATA.resolve("arena"), false);

    assertThat(arena.excluded()).isEqualTo(1);
    assertThat(arena.outcomeModels()).containsExactly("big", "small");
    assertThat(arena.items()).extracting(ReplayItem::id).containsExactly("q1", "q3");
    assertThat(arena.items().get(0).outcomes()).isEqualTo(Map.of("big", 9.0, "small", 8.0));
  }

  @Test
  void chat_lines_keep_max_tokens_usage_and_outcomes() throws Exception {
    Path file = dir.resolve("chat.jsonl");
    Files.writeString(file, """
      {"id": 7, "category": "ops", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 64,
       "usage": {"prompt_tokens": 12, "completion_tokens": 30}, "outcomes": {"m1": 0.5, "m2": true}}
      """.replace("\n ", " "));

    ReplayItem item = Workloads.read(file, false).items().get(0);

    assertThat(item.id()).isEqualTo("7");
    assertThat(item.category()).isEqualTo("ops");
    assertThat(List.of(item.maxTokens(), item.promptTokens(), item.outputTokens())).containsExactly(64L, 12L, 30L);
    assertThat(item.outcomes()).isEqualTo(Map.of("m1", 0.5, "m2", 1.0));
  }

  @Test
  void a_chat_line_without_messages_is_refused_with_its_line_number() throws Exception {
    Path file = dir.resolve("chat.jsonl");
    Files.writeString(file, "\n{\"model\": \"auto\"}\n");

    assertThatThrownBy(() -> Workloads.read(file, false))
      .isInstanceOf(ReplayException.class)
      .hasMessage(file + ":2: 'messages' must be a non-empty array");
  }

  @Test
  void csv_fields_may_hold_quotes_commas_and_line_breaks() {
    assertThat(Csv.parse("a,b\n\"x, \"\"y\"\"\nz\",2\r\n", "t.csv"))
      .containsExactly(List.of("a", "b"), List.of("x, \"y\"\nz", "2"));
    assertThatThrownBy(() -> Csv.parse("a\n\"open", "t.csv")).hasMessageContaining("never closed");
  }
}
