package io.switchboard.classify;

import io.switchboard.config.ClassifierConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The committed p_cheap_ok head, on the committed tier-1 model, answers what {@code train-classifier} recorded when
 * it wrote them; the gateway's loader finds it next to the model and uses it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CheapOkHeadGoldenTest {

  private static final Path MODEL = Path.of("models/static/task-classifier.onnx");
  private static final Path HEAD = Path.of("models/static/cheap-ok.json");
  private static final Path GOLDEN = Path.of("models/static/cheap-ok-golden.jsonl");

  private static StaticModel model;
  private static CheapOkHead head;

  @BeforeAll
  static void load() throws Exception {
    model = StaticModel.load(Files.readAllBytes(MODEL));
    head = CheapOkHead.parse(new JsonObject(Files.readString(HEAD)));
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  private static List<JsonObject> golden() throws Exception {
    return Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
      .map(JsonObject::new).toList();
  }

  private static PromptText prompt(String text) {
    return PromptText.of(new ClassifyRequest(new JsonArray().add(new JsonObject()
      .put("role", "user").put("content", text)), false, 0, text.length()));
  }

  @Test
  void the_committed_head_gives_the_committed_p_cheap_ok() throws Exception {
    List<JsonObject> rows = golden();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
    StaticModelClassifier gated = new StaticModelClassifier(model, ModelInput.minilm(), 0, head);
    StaticModelClassifier ungated = new StaticModelClassifier(model, ModelInput.minilm(), 0, head.ungated());
    for (JsonObject row : rows) {
      Classification c = gated.classify(prompt(row.getString("text")));
      assertThat(c.taskType().wireName()).as(row.getString("id")).isEqualTo(row.getString("task_type"));
      assertThat(c.pCheapOk()).as(row.getString("id")).isCloseTo(row.getDouble("p_cheap_ok"), within(1e-6));
      assertThat(ungated.classify(prompt(row.getString("text"))).pCheapOk()).as(row.getString("id"))
        .isCloseTo(row.getDouble("p_cheap_ok_learned"), within(1e-6));
      // the gate: the learned score for its task types, the per-category value elsewhere
      assertThat(c.pCheapOk()).isEqualTo(head.learnedTaskTypes().contains(c.taskType())
        ? row.getDouble("p_cheap_ok_learned") : head.rule(c.taskType()), within(1e-6));
    }
  }

  @Test
  void the_gateway_loader_uses_the_head_next_to_the_model_and_the_heuristic_rule_without_one() throws Exception {
    JsonObject row = golden().get(0);
    Classifier loaded = ClassifierLoader.load(new ClassifierConfig(ClassifierConfig.STATIC, MODEL.toString(), "cpu",
      1, 0, 1_000));
    assertThat(loaded.classify(prompt(row.getString("text"))).pCheapOk())
      .isCloseTo(row.getDouble("p_cheap_ok"), within(1e-6));

    assertThat(ClassifierLoader.cheapOk("no/such/dir/task-classifier.onnx")).isNull();
    Classification plain = new StaticModelClassifier(model, ModelInput.minilm(), 0).classify(
      prompt(row.getString("text")));
    assertThat(plain.pCheapOk()).isEqualTo(HeuristicClassifier.pCheapOk(plain.complexity(), plain.taskType()));
  }

  @Test
  void the_head_travels_in_the_jar_under_the_same_path() throws Exception {
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + HEAD)) {
      assertThat(in).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(HEAD));
    }
  }
}
