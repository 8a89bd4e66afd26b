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
 * The committed tier-2 heads, over the encoder from the Maven artifact, answer what {@code train-classifier} recorded
 * when it wrote them: a changed encoder, heads file, tokenizer or pooling shows up here instead of as silently
 * different routing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EncoderModelGoldenTest {

  private static final Path HEADS = Path.of("models/encoder/heads.onnx");
  private static final Path GOLDEN = Path.of("models/encoder/golden-predictions.jsonl");
  /** Looser than tier 1's 1e-5: the encoder's float kernels may round differently on another CPU. */
  private static final double TOLERANCE = 1e-4;

  private static EncoderModel model;

  @BeforeAll
  static void load() throws Exception {
    model = EncoderModel.load(ClassifierLoader.read(SentenceEncoder.RESOURCE), Files.readAllBytes(HEADS), false);
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
  void the_committed_heads_give_the_committed_probabilities() throws Exception {
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
  void the_encoder_classifier_reports_the_most_probable_class_and_its_tier() throws Exception {
    EncoderClassifier classifier = new EncoderClassifier(model, ModelInput.minilm(), 100);
    for (JsonObject row : golden()) {
      JsonArray expected = row.getJsonArray("task_type");
      int best = 0;
      for (int i = 1; i < expected.size(); i++) {
        best = expected.getDouble(i) > expected.getDouble(best) ? i : best;
      }
      Classification c = classifier.classify(new PromptText(row.getString("text"), "",
        new RequestFeatures(10, 1, false, 0, 0, false)));
      assertThat(c.tier()).isEqualTo("encoder");
      assertThat(c.taskType()).as(row.getString("id")).isEqualTo(TaskType.values()[best]);
      assertThat(c.confidence()).isCloseTo(expected.getDouble(best), within(TOLERANCE));
      assertThat(c.taskProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void the_heads_travel_in_the_jar_and_the_encoder_comes_from_the_class_path() throws Exception {
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + HEADS)) {
      assertThat(in).as("class-path copy of " + HEADS).isNotNull();
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(HEADS));
    }
    assertThat(Path.of(SentenceEncoder.RESOURCE)).as("the encoder is not a project file").doesNotExist();
    assertThat(ClassifierLoader.encoder(new ClassifierConfig(ClassifierConfig.ENCODER,
      "models/static/task-classifier.onnx", "cpu", 1, 10, 50))).isPresent();
  }

  private static void assertClose(String id, float[] actual, JsonArray expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as(id + "[" + i + "]").isCloseTo(expected.getDouble(i), within(TOLERANCE));
    }
  }
}
