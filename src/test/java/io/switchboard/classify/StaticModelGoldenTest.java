package io.switchboard.classify;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed tier-1 model answers what {@code train-classifier} recorded for it when it was written: a changed
 * model file, tokenizer or input preparation shows up here instead of as silently different routing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StaticModelGoldenTest {

  private static final Path MODEL = Path.of("models/static/task-classifier.onnx");
  private static final Path GOLDEN = Path.of("models/static/golden-predictions.jsonl");
  private static final double TOLERANCE = 1e-5;

  private static StaticModel model;

  @BeforeAll
  static void load() throws Exception {
    model = StaticModel.load(Files.readAllBytes(MODEL));
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @Test
  void the_committed_model_gives_the_committed_probabilities() throws Exception {
    GoldenPredictions.read(GOLDEN, TOLERANCE).assertModelAnswers(model::predict);
  }

  @Test
  void the_classifier_reports_the_most_probable_class_and_its_tier() throws Exception {
    GoldenPredictions.read(GOLDEN, TOLERANCE)
      .assertClassifierAnswers(new StaticModelClassifier(model, ModelInput.minilm(), 100), "static");
  }

  @Test
  void the_model_travels_in_the_jar_under_the_same_path() throws Exception {
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + MODEL)) {
      assertThat(in).as("class-path copy of " + MODEL).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(MODEL));
    }
  }
}
