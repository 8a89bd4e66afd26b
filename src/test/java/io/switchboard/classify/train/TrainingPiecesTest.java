package io.switchboard.classify.train;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The hand-written parts of the training pipeline that the golden test cannot see into. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TrainingPiecesTest {

  @Test
  void protobuf_varints_and_nested_messages_follow_the_wire_format() {
    // field 1 varint 300 = tag 0x08, 0xAC 0x02; field 2 message {field 1 "a"} = 0x12 0x03 0x0A 0x01 'a'
    byte[] bytes = new Proto().int64(1, 300).message(2, new Proto().string(1, "a")).toByteArray();

    assertThat(bytes).containsExactly(0x08, 0xAC, 0x02, 0x12, 0x03, 0x0A, 0x01, 'a');
    assertThat(new Proto().int64(1, -1).toByteArray()).as("negative int64: ten bytes").hasSize(11);
  }

  @Test
  void pca_finds_the_direction_of_largest_variance_first() {
    // points spread along (1, 1, 0) with a little noise along (1, -1, 0) and none along z
    float[][] rows = new float[200][];
    for (int i = 0; i < rows.length; i++) {
      float t = (i - 100) / 10f;
      float noise = (i % 7 - 3) / 20f;
      rows[i] = new float[] {t + noise + 5, t - noise - 2, 1};
    }

    Pca pca = Pca.fit(rows, 2);
    float[] origin = pca.project(new float[] {5, -2, 1});
    float[] along = pca.project(new float[] {6, -1, 1});
    float[] across = pca.project(new float[] {6, -3, 1});

    assertThat(pca.explainedVariance()).isCloseTo(1.0, within(1e-6));
    assertThat(Math.abs(along[0] - origin[0])).as("a step along (1, 1)").isCloseTo((float) Math.sqrt(2),
      within(1e-3f));
    assertThat(Math.abs(along[1] - origin[1])).isCloseTo(0f, within(1e-3f));
    assertThat(Math.abs(across[0] - origin[0])).isCloseTo(0f, within(1e-3f));
    assertThat(Math.abs(across[1] - origin[1])).as("a step along (1, -1)").isCloseTo((float) Math.sqrt(2),
      within(1e-3f));
  }

  @Test
  void csv_first_column_handles_quotes_commas_and_newlines() {
    String csv = "prompt,a,b\n\"What is 1,2?\nA. \"\"x\"\"\",True,False\nplain,False,True\n";

    assertThat(Csv.firstColumn(csv)).isEqualTo(List.of("What is 1,2?\nA. \"x\"", "plain"));
  }

  @Test
  void softmax_regression_separates_two_clusters_and_exports_equivalent_weights() {
    float[][] x = new float[40][];
    int[] y = new int[40];
    for (int i = 0; i < 40; i++) {
      y[i] = i % 2;
      x[i] = new float[] {y[i] == 0 ? -1 - i / 40f : 1 + i / 40f, i / 40f};
    }

    SoftmaxRegression model = SoftmaxRegression.train(x, y, 2, 1e-3, 200);
    float[] exported = StaticTable.head(x[1], model.exportWeights(), model.exportBias());

    assertThat(model.predict(x[0])[0]).isGreaterThan(0.9);
    assertThat(model.predict(x[1])[1]).isGreaterThan(0.9);
    assertThat((double) exported[1]).isCloseTo(model.predict(x[1])[1], within(1e-5));
  }
}
