package io.switchboard.classify;

import ai.onnxruntime.OrtException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A committed fixture of what a model tier answers (one JSON line per prompt: id, text, task_type and complexity
 * probabilities), and the checks that a tier still answers it: against silent drift of a model file.
 */
final class GoldenPredictions {

  /** A model's raw outputs for token ids. */
  interface Model {
    StaticModel.Prediction predict(long[] ids) throws OrtException;
  }

  private final List<JsonObject> rows;
  private final double tolerance;

  private GoldenPredictions(List<JsonObject> rows, double tolerance) {
    this.rows = rows;
    this.tolerance = tolerance;
  }

  static GoldenPredictions read(Path file, double tolerance) throws IOException {
    List<JsonObject> rows = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
      .map(JsonObject::new).toList();
    assertThat(rows).as(file.toString()).hasSizeGreaterThanOrEqualTo(10);
    return new GoldenPredictions(rows, tolerance);
  }

  /** The model gives every committed probability, within the tolerance. */
  void assertModelAnswers(Model model) throws OrtException {
    ModelInput input = ModelInput.minilm();
    for (JsonObject row : rows) {
      StaticModel.Prediction p = model.predict(input.ids(ModelInput.normalized(row.getString("text"), "")));
      assertClose(row.getString("id"), p.taskType(), row.getJsonArray("task_type"));
      assertClose(row.getString("id"), p.complexity(), row.getJsonArray("complexity"));
    }
  }

  /** The classifier over that model names the most probable task type, with its probability, as {@code tier}. */
  void assertClassifierAnswers(Classifier classifier, String tier) {
    for (JsonObject row : rows) {
      JsonArray expected = row.getJsonArray("task_type");
      int best = 0;
      for (int i = 1; i < expected.size(); i++) {
        best = expected.getDouble(i) > expected.getDouble(best) ? i : best;
      }
      Classification c = classifier.classify(new PromptText(row.getString("text"), "",
        new RequestFeatures(10, 1, false, 0, 0, false)));
      assertThat(c.tier()).isEqualTo(tier);
      assertThat(c.taskType()).as(row.getString("id")).isEqualTo(TaskType.values()[best]);
      assertThat(c.confidence()).isCloseTo(expected.getDouble(best), within(tolerance));
      assertThat(c.taskProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-4));
    }
  }

  private void assertClose(String id, float[] actual, JsonArray expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as(id + "[" + i + "]").isCloseTo(expected.getDouble(i), within(tolerance));
    }
  }
}
