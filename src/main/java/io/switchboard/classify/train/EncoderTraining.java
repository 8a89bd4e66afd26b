package io.switchboard.classify.train;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.EncoderModel;
import io.switchboard.classify.ModelInput;
import io.switchboard.classify.SentenceEncoder;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.TaskType;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tier-2 step of {@code train-classifier}: encodes every prompt with the full all-MiniLM-L6-v2 encoder, trains
 * task-type and complexity heads on the embeddings (the same softmax regression, cross-validation and split as
 * tier 1), writes {@code models/encoder/heads.onnx} and its golden predictions, and evaluates the encoder and heads
 * on the held-out split. Deterministic: each prompt is encoded alone on one thread, and the heads train from zeros.
 */
final class EncoderTraining {

  static final String HEADS_FILE = "encoder/heads.onnx";
  static final String GOLDEN_FILE = "encoder/golden-predictions.jsonl";
  static final int WARM_UP_PASSES = 1;
  static final int TIMED_PASSES = 2;
  /**
   * L2 penalties tried for the tier-2 heads: tier 1's grid stopped at 0.1, where the encoder's 384 dimensions still
   * scored best, so this one goes further.
   */
  static final double[] L2_CANDIDATES = {1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0};

  /** What the step measured, for the model card. */
  static final class Result {
    String encoderSha256;
    long encoderBytes;
    long headsBytes;
    double maxDifference;
    int prompts;
    double encodeSeconds;
    int encodeThreads;
    boolean embeddingsCached;
    CrossValidation.Choice taskL2;
    CrossValidation.Choice complexityL2;
    Scores taskType;
    Scores complexity;
    Benchmark.Latency latency;
  }

  private EncoderTraining() {
  }

  static Result run(List<Example> train, List<Example> test, List<long[]> trainIds, List<long[]> testIds,
                    int[] taskFolds, Path out, Path cache, PrintStream log, boolean progress)
    throws IOException, OrtException {
    Result r = new Result();
    byte[] encoderBytes = encoderBytes();
    r.encoderBytes = encoderBytes.length;
    r.encoderSha256 = HexFormat.of().formatHex(sha256(encoderBytes));
    List<long[]> allIds = new ArrayList<>(trainIds);
    allIds.addAll(testIds);
    r.prompts = allIds.size();
    float[][] embeddings;
    try (SentenceEncoder encoder = SentenceEncoder.load(encoderBytes, false)) {
      embeddings = embeddings(encoder, allIds, r, cache, log, progress);
    }
    float[][] x = Arrays.copyOfRange(embeddings, 0, trainIds.size());
    float[][] testX = Arrays.copyOfRange(embeddings, trainIds.size(), embeddings.length);

    int[] taskY = train.stream().mapToInt(e -> e.taskType().ordinal()).toArray();
    r.taskL2 = CrossValidation.choose(x, taskY, taskFolds, TaskType.values().length, "tier-2 task type", log,
      L2_CANDIDATES);
    SoftmaxRegression task = SoftmaxRegression.train(x, taskY, TaskType.values().length, r.taskL2.best(),
      TrainCommand.EPOCHS);
    List<Integer> rated = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      if (train.get(i).complexity() != null) {
        rated.add(i);
      }
    }
    float[][] ratedX = rated.stream().map(i -> x[i]).toArray(float[][]::new);
    int[] ratedY = rated.stream().mapToInt(i -> train.get(i).complexity().ordinal()).toArray();
    r.complexityL2 = CrossValidation.choose(ratedX, ratedY, rated.stream().mapToInt(i -> taskFolds[i]).toArray(),
      Complexity.values().length, "tier-2 complexity", log, L2_CANDIDATES);
    SoftmaxRegression complexity = SoftmaxRegression.train(ratedX, ratedY, Complexity.values().length,
      r.complexityL2.best(), TrainCommand.EPOCHS);

    // a sorted map, as for tier 1: the file must be the same each run
    byte[] heads = HeadsExport.build(SentenceEncoder.DIMS, task.exportWeights(), task.exportBias(),
      complexity.exportWeights(), complexity.exportBias(), new TreeMap<>(Map.of(
        "encoder_sha256", r.encoderSha256, "training_prompts", Integer.toString(train.size()))));
    Path headsFile = out.resolve(HEADS_FILE);
    Files.createDirectories(headsFile.getParent());
    Files.write(headsFile, heads);
    r.headsBytes = heads.length;
    log.printf("wrote %s (%,d bytes)%n", headsFile, heads.length);

    try (EncoderModel model = EncoderModel.load(encoderBytes, Files.readAllBytes(headsFile), false)) {
      r.taskType = new Scores(Arrays.stream(TaskType.values()).map(TaskType::wireName).toList());
      r.complexity = new Scores(Arrays.stream(Complexity.values()).map(Complexity::wireName).toList());
      List<String> golden = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (int i = 0; i < test.size(); i++) {
        Example e = test.get(i);
        StaticModel.Prediction p = model.heads(testX[i]);
        r.maxDifference = Math.max(r.maxDifference, Math.max(maxAbs(p.taskType(), task.predict(testX[i])),
          maxAbs(p.complexity(), complexity.predict(testX[i]))));
        int predicted = TrainCommand.argmax(p.taskType());
        r.taskType.add(e.taskType().ordinal(), predicted, p.taskType()[predicted]);
        if (e.complexity() != null) {
          int c = TrainCommand.argmax(p.complexity());
          r.complexity.add(e.complexity().ordinal(), c, p.complexity()[c]);
        }
        if (e.source().equals("seed") && golden.size() < TrainCommand.GOLDEN) {
          ObjectNode row = json.createObjectNode().put("id", e.group().substring("seed:".length()));
          row.put("text", e.text());
          for (float v : p.taskType()) {
            row.withArray("task_type").add((double) v);
          }
          for (float v : p.complexity()) {
            row.withArray("complexity").add((double) v);
          }
          golden.add(json.writeValueAsString(row));
        }
      }
      if (r.maxDifference > 1e-4) {
        throw new IllegalStateException("ONNX Runtime and the Java heads differ by " + r.maxDifference);
      }
      Files.write(out.resolve(GOLDEN_FILE), golden, StandardCharsets.UTF_8);
      log.printf("held out: tier 2 macro-F1 %.3f, complexity accuracy %.3f%n", r.taskType.macroF1(),
        r.complexity.accuracy());
      ModelInput input = ModelInput.minilm();
      log.printf("timing tier 2 on %d held-out prompts%n", test.size());
      r.latency = Benchmark.run(text -> model.predict(input.ids(text)),
        test.stream().map(e -> ModelInput.normalized(e.text(), "")).toList(), WARM_UP_PASSES, TIMED_PASSES, log,
        progress);
    }
    return r;
  }

  /** The encoder from the class path (the LangChain4j artifact), as the gateway reads it by default. */
  static byte[] encoderBytes() throws IOException {
    try (InputStream in = EncoderTraining.class.getResourceAsStream("/" + SentenceEncoder.RESOURCE)) {
      if (in == null) {
        throw new IOException("the encoder " + SentenceEncoder.RESOURCE + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }

  /**
   * One embedding per prompt, in order. They depend only on the encoder and the ids, so they are kept in
   * {@code cache} under a digest of both and reused while neither changes.
   */
  private static float[][] embeddings(SentenceEncoder encoder, List<long[]> ids, Result r, Path cache,
                                      PrintStream log, boolean progress) throws IOException, OrtException {
    MessageDigest digest = digest();
    digest.update(r.encoderSha256.getBytes(StandardCharsets.US_ASCII));
    for (long[] row : ids) {
      digest.update(Arrays.toString(row).getBytes(StandardCharsets.US_ASCII));
    }
    byte[] key = digest.digest();
    if (Files.isRegularFile(cache)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
        byte[] stored = in.readNBytes(key.length);
        if (Arrays.equals(stored, key)) {
          float[][] rows = new float[in.readInt()][in.readInt()];
          for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
              row[j] = in.readFloat();
            }
          }
          log.printf("encoder embeddings of the prompts from %s%n", cache);
          r.embeddingsCached = true;
          return rows;
        }
      }
    }
    log.printf("encoding %,d prompts with all-MiniLM-L6-v2%n", ids.size());
    float[][] rows = new float[ids.size()][];
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    r.encodeThreads = threads;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          for (int i = first; i < ids.size(); i += threads) {
            rows[i] = encoder.embed(ids.get(i));
            int n = done.incrementAndGet();
            if (progress && n % 50 == 0) {
              log.printf("\r  %,d / %,d prompts", n, ids.size());
            }
          }
          return null;
        }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OrtException o) {
        throw o;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    if (progress) {
      log.println();
    }
    r.encodeSeconds = (System.nanoTime() - start) / 1e9;
    log.printf("encoded in %.0f s%n", r.encodeSeconds);
    Files.createDirectories(cache.toAbsolutePath().getParent());
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
      o.write(key);
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

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double maxAbs(float[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
