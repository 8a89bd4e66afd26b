package io.switchboard.classify.train;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.HeuristicClassifier;
import io.switchboard.classify.ModelInput;
import io.switchboard.classify.PromptText;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.TaskType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar switchboard.jar train-classifier [--data DIR] [--out DIR] [--dims N]}: distils the MiniLM encoder
 * into the tier-1 static model, trains its heads, writes {@code models/static/task-classifier.onnx}, its golden
 * predictions and {@code models/MODEL_CARD.md} with the held-out evaluation. Deterministic: the split and the
 * samples come from hashes, the heads start from zero and train full-batch, so no random numbers are drawn.
 * Exits 0 on success, 2 on bad arguments, 1 on a failure.
 */
public final class TrainCommand {

  static final int VOCABULARY = 30_522;
  /** SIF smoothing: weight a / (a + p(token)), p from token counts over the training split. */
  static final double SIF_A = 1e-3;
  /** L2 penalties tried by cross-validation on the training split; the best mean macro-F1 wins. */
  static final double[] L2_CANDIDATES = {1e-4, 1e-3, 1e-2, 3e-2, 1e-1};
  static final int FOLDS = 5;
  static final int EPOCHS = 400;
  static final int GOLDEN = 16;
  static final String MODEL_FILE = "static/task-classifier.onnx";
  static final String GOLDEN_FILE = "static/golden-predictions.jsonl";

  private final Path data;
  private final Path seed;
  private final Path out;
  private final int dims;
  private final Path embeddingsCache;
  private final PrintStream log;
  private final boolean progress;

  private TrainCommand(Path data, Path seed, Path out, int dims, Path embeddingsCache, PrintStream log) {
    this.data = data;
    this.seed = seed;
    this.out = out;
    this.dims = dims;
    this.embeddingsCache = embeddingsCache;
    this.log = log;
    this.progress = System.console() != null;
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--data", "../shared/data", "--seed-prompts",
      "models/data/seed-prompts.jsonl", "--out", "models", "--dims", "128", "--embeddings-cache",
      "target/classifier/token-embeddings.bin"));
    for (int i = 0; i < args.size(); i += 2) {
      if (!options.containsKey(args.get(i)) || i + 1 >= args.size()) {
        err.println("usage: train-classifier [--data DIR] [--seed-prompts FILE] [--out DIR] [--dims N]"
          + " [--embeddings-cache FILE]");
        return 2;
      }
      options.put(args.get(i), args.get(i + 1));
    }
    try {
      new TrainCommand(Path.of(options.get("--data")), Path.of(options.get("--seed-prompts")),
        Path.of(options.get("--out")), Integer.parseInt(options.get("--dims")),
        Path.of(options.get("--embeddings-cache")), err).train(out);
      return 0;
    } catch (IOException | OrtException | RuntimeException e) {
      err.println("train-classifier: " + e);
      return 1;
    }
  }

  private void train(PrintStream stdout) throws IOException, OrtException {
    List<Example> all = TrainingData.load(seed, data);
    List<Example> train = all.stream().filter(e -> !TrainingData.heldOut(e)).toList();
    List<Example> test = all.stream().filter(TrainingData::heldOut).toList();
    log.printf("%d prompts: %d for training, %d held out%n", all.size(), train.size(), test.size());

    ModelInput input = ModelInput.minilm();
    List<long[]> trainIds = train.stream().map(e -> input.ids(ModelInput.normalized(e.text(), ""))).toList();
    List<long[]> testIds = test.stream().map(e -> input.ids(ModelInput.normalized(e.text(), ""))).toList();

    float[][] encoder = encoderEmbeddings();
    Pca pca = Pca.fit(encoder, dims);
    double[] weights = sifWeights(trainIds);
    float[][] rows = new float[VOCABULARY][];
    for (int t = 0; t < VOCABULARY; t++) {
      float[] r = pca.project(encoder[t]);
      for (int d = 0; d < r.length; d++) {
        r[d] *= (float) weights[t];
      }
      rows[t] = r;
    }
    StaticTable table = StaticTable.quantize(rows);
    log.printf("PCA %d -> %d dims keeps %.1f %% of the variance%n", encoder[0].length, dims,
      100 * pca.explainedVariance());

    float[][] x = trainIds.stream().map(table::pool).toArray(float[][]::new);
    int[] taskY = train.stream().mapToInt(e -> e.taskType().ordinal()).toArray();
    int[] taskFolds = train.stream().mapToInt(TrainCommand::fold).toArray();
    Report report = new Report();
    report.taskL2 = CrossValidation.choose(x, taskY, taskFolds, TaskType.values().length, "task type", log);
    SoftmaxRegression task = SoftmaxRegression.train(x, taskY, TaskType.values().length, report.taskL2.best(),
      EPOCHS);
    List<Integer> rated = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      if (train.get(i).complexity() != null) {
        rated.add(i);
      }
    }
    float[][] ratedX = rated.stream().map(i -> x[i]).toArray(float[][]::new);
    int[] ratedY = rated.stream().mapToInt(i -> train.get(i).complexity().ordinal()).toArray();
    report.complexityL2 = CrossValidation.choose(ratedX, ratedY, rated.stream().mapToInt(i -> taskFolds[i]).toArray(),
      Complexity.values().length, "complexity", log);
    SoftmaxRegression complexity = SoftmaxRegression.train(ratedX, ratedY, Complexity.values().length,
      report.complexityL2.best(), EPOCHS);

    float[] taskW = task.exportWeights();
    float[] taskB = task.exportBias();
    float[] complexityW = complexity.exportWeights();
    float[] complexityB = complexity.exportBias();
    // a sorted map: Map.of iterates in a different order in every JVM, and the file must be the same each run
    byte[] onnx = GraphExport.build(table, taskW, taskB, complexityW, complexityB, new TreeMap<>(Map.of(
      "dims", Integer.toString(dims), "training_prompts", Integer.toString(train.size()))));
    Path modelFile = out.resolve(MODEL_FILE);
    Files.createDirectories(modelFile.getParent());
    Files.write(modelFile, onnx);
    log.printf("wrote %s (%,d bytes)%n", modelFile, onnx.length);

    report.modelBytes = onnx.length;
    report.explained = pca.explainedVariance();
    report.dims = dims;
    try (StaticModel model = StaticModel.load(Files.readAllBytes(modelFile))) {
      Scores tier1 = new Scores(labels(TaskType.values()));
      Scores tier1Complexity = new Scores(labels(Complexity.values()));
      Scores heuristic = new Scores(labels(TaskType.values()));
      Scores heuristicComplexity = new Scores(labels(Complexity.values()));
      HeuristicClassifier rules = new HeuristicClassifier();
      List<String> golden = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (int i = 0; i < test.size(); i++) {
        Example e = test.get(i);
        StaticModel.Prediction p = model.predict(testIds.get(i));
        float[] pooled = table.pool(testIds.get(i));
        report.maxDifference = Math.max(report.maxDifference,
          Math.max(maxAbs(p.taskType(), StaticTable.head(pooled, taskW, taskB)),
            maxAbs(p.complexity(), StaticTable.head(pooled, complexityW, complexityB))));
        int predicted = argmax(p.taskType());
        tier1.add(e.taskType().ordinal(), predicted, p.taskType()[predicted]);
        var h = rules.classify(PromptText.of(new ClassifyRequest(new JsonArray().add(new JsonObject()
          .put("role", "user").put("content", e.text())), false, 0, e.text().length())));
        heuristic.add(e.taskType().ordinal(), h.taskType().ordinal(), h.confidence());
        if (e.complexity() != null) {
          int c = argmax(p.complexity());
          tier1Complexity.add(e.complexity().ordinal(), c, p.complexity()[c]);
          heuristicComplexity.add(e.complexity().ordinal(), h.complexity().ordinal(),
            h.complexityProbabilities().get(h.complexity().wireName()));
        }
        if (e.source().equals("seed") && golden.size() < GOLDEN) {
          ObjectNode row = json.createObjectNode().put("id", e.group().substring("seed:".length()));
          row.put("text", e.text());
          Arrays.stream(toDoubles(p.taskType())).forEach(row.putArray("task_type")::add);
          Arrays.stream(toDoubles(p.complexity())).forEach(row.putArray("complexity")::add);
          golden.add(json.writeValueAsString(row));
        }
      }
      if (report.maxDifference > 1e-4) {
        throw new IllegalStateException("ONNX Runtime and the Java forward pass differ by " + report.maxDifference);
      }
      Files.write(out.resolve(GOLDEN_FILE), golden, StandardCharsets.UTF_8);
      report.tier1 = tier1;
      report.tier1Complexity = tier1Complexity;
      report.heuristic = heuristic;
      report.heuristicComplexity = heuristicComplexity;
      log.printf("held out: tier 1 macro-F1 %.3f, heuristic %.3f%n", tier1.macroF1(), heuristic.macroF1());
      report.latency = Benchmark.run(model, input, test.stream().map(e -> ModelInput.normalized(e.text(), ""))
        .toList(), log, progress);
      report.cheapOk = CheapOkTraining.run(model, input, data, seed, out, log);
    }
    report.tier2 = trainEncoderTier(train, test, trainIds, testIds, taskFolds);
    report.sources = counts(train, test);
    ModelCard.write(out.resolve("MODEL_CARD.md"), report);
    stdout.println("wrote " + modelFile + ", " + out.resolve(GOLDEN_FILE) + ", "
      + out.resolve(CheapOkTraining.HEAD_FILE) + " and " + out.resolve("MODEL_CARD.md"));
    stdout.println("wrote " + out.resolve(EncoderTraining.HEADS_FILE) + " and "
      + out.resolve(EncoderTraining.GOLDEN_FILE));
  }

  /** Tier 2: heads on the full encoder's embeddings, over the same split and folds; its embeddings cached beside. */
  private EncoderTraining.Result trainEncoderTier(List<Example> train, List<Example> test, List<long[]> trainIds,
                                                  List<long[]> testIds, int[] taskFolds)
    throws IOException, OrtException {
    return EncoderTraining.run(train, test, trainIds, testIds, taskFolds, out,
      embeddingsCache.resolveSibling("encoder-embeddings.bin"), log, progress);
  }

  /** The encoder's per-token embeddings, computed once and kept in a cache file (they depend only on the encoder). */
  private float[][] encoderEmbeddings() throws IOException, OrtException {
    if (Files.isRegularFile(embeddingsCache)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(embeddingsCache)))) {
        int n = in.readInt();
        int d = in.readInt();
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
          for (int j = 0; j < d; j++) {
            row[j] = in.readFloat();
          }
        }
        log.printf("encoder embeddings from %s%n", embeddingsCache);
        return rows;
      }
    }
    log.printf("encoding %,d vocabulary tokens with all-MiniLM-L6-v2%n", VOCABULARY);
    float[][] rows = Distiller.embed(VOCABULARY, done -> {
      if (progress) {
        log.printf("\r  %,d / %,d tokens", done, VOCABULARY);
      }
    });
    if (progress) {
      log.println();
    }
    Files.createDirectories(embeddingsCache.toAbsolutePath().getParent());
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(
      Files.newOutputStream(embeddingsCache)))) {
      o.writeInt(rows.length);
      o.writeInt(rows[0].length);
      for (float[] row : rows) {
        for (float v : row) {
          o.writeFloat(v);
        }
      }
    }
    return rows;
  }

  /** Cross-validation fold of a training prompt, from a hash of its source item (never split across folds). */
  private static int fold(Example e) {
    return Integer.parseInt(TrainingData.hash("fold:" + e.group()).substring(0, 6), 16) % FOLDS;
  }

  private static double[] sifWeights(List<long[]> ids) {
    long[] counts = new long[VOCABULARY];
    long total = 0;
    for (long[] row : ids) {
      for (long id : row) {
        counts[(int) id]++;
        total++;
      }
    }
    double[] weights = new double[VOCABULARY];
    for (int t = 0; t < VOCABULARY; t++) {
      weights[t] = SIF_A / (SIF_A + counts[t] / (double) total);
    }
    return weights;
  }

  /** Prompts per source and side of the split, for the model card. */
  private static Map<String, int[]> counts(List<Example> train, List<Example> test) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    train.forEach(e -> counts.computeIfAbsent(e.source() + "|" + e.taskType().wireName(), k -> new int[2])[0]++);
    test.forEach(e -> counts.computeIfAbsent(e.source() + "|" + e.taskType().wireName(), k -> new int[2])[1]++);
    Map<String, int[]> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
      .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static List<String> labels(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
  }

  static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double maxAbs(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
