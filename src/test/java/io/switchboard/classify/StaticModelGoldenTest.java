package io.switchboard.classify;

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
 * The committed tier-1 model answers what {@code train-classifier} recorded for it when it was written: a changed
 * model file, tokenizer or input preparation shows up here instead of as silently different routing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StaticModelGoldenTest {

  private static final Path MODEL = Path.of("models/static/task-classifier.onnx");
  private static final Path GOLDEN = Path.of("models/static/golden-predictions.jsonl");

  private static StaticModel model;

  @BeforeAll
  static void load() throws Exception {
    model = StaticModel.load(Files.readAllBytes(MODEL));
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  private static List<JsonObject> golden() throws Exception {
    return Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
      .map(JsonObject::new).toList();
  }

  @Test
  void the_committed_model_gives_the_committed_probabilities() throws Exception {
    List<JsonObject> rows = golden();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
    ModelInput input = ModelInput.minilm();
    for (JsonObject row : rows) {
      StaticModel.Prediction p = model.predict(input.ids(ModelInput.normalized(row.getString("text"), "")));
      assertClose(row.getString("id"), p.taskType(), row.getJsonArray("task_type"));
      assertClose(row.getString("id"), p.complexity(), row.getJsonArray("complexity"));
    }
  }

  @Test
  void the_classifier_reports_the_most_probable_class_and_its_tier() throws Exception {
    StaticModelClassifier classifier = new StaticModelClassifier(model, ModelInput.minilm(), 100);
    for (JsonObject row : golden()) {
      JsonArray expected = row.getJsonArray("task_type");
      int best = 0;
      for (int i = 1; i < expected.size(); i++) {
        best = expected.getDouble(i) > expected.getDouble(best) ? i : best;
      }
      Classification c = classifier.classify(new PromptText(row.getString("text"), "",
        new RequestFeatures(10, 1, false, 0, 0, false)));
      assertThat(c.tier()).isEqualTo("static");
      assertThat(c.taskType()).as(row.getString("id")).isEqualTo(TaskType.values()[best]);
      assertThat(c.confidence()).isCloseTo(expected.getDouble(best), within(1e-5));
      assertThat(c.taskProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void the_model_travels_in_the_jar_under_the_same_path() throws Exception {
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + MODEL)) {
      assertThat(in).as("class-path copy of " + MODEL).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(MODEL));
    }
  }

  private static void assertClose(String id, float[] actual, JsonArray expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as(id + "[" + i + "]").isCloseTo(expected.getDouble(i), within(1e-5));
    }
  }
}
