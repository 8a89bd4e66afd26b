package io.switchboard.classify;

import io.switchboard.config.ClassifierConfig;
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

  @Test
  void the_committed_heads_give_the_committed_probabilities() throws Exception {
    GoldenPredictions.read(GOLDEN, TOLERANCE).assertModelAnswers(model::predict);
  }

  @Test
  void the_encoder_classifier_reports_the_most_probable_class_and_its_tier() throws Exception {
    GoldenPredictions.read(GOLDEN, TOLERANCE)
      .assertClassifierAnswers(new EncoderClassifier(model, ModelInput.minilm(), 100), "encoder");
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
}
