package io.switchboard.classify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tier-1 classifier graph in ONNX Runtime: token ids in, task-type and complexity probabilities out. One session
 * per process, shared by the worker threads (ONNX Runtime sessions are thread-safe); each run uses one thread, so
 * the worker pool's size is the parallelism.
 */
public final class StaticModel implements AutoCloseable {

  public static final String INPUT_IDS = "input_ids";
  public static final String INPUT_MASK = "attention_mask";
  public static final String TASK_OUTPUT = "task_type";
  public static final String COMPLEXITY_OUTPUT = "complexity";
  /** Metadata keys naming the class order of each output, checked against the enums at load. */
  public static final String TASK_LABELS = "task_type_labels";
  public static final String COMPLEXITY_LABELS = "complexity_labels";

  /** Probabilities in {@link TaskType} and {@link Complexity} order. */
  public record Prediction(float[] taskType, float[] complexity) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(StaticModel.class);

  private final OrtEnvironment env;
  private final OrtSession session;

  private StaticModel(OrtEnvironment env, OrtSession session) {
    this.env = env;
    this.session = session;
  }

  /** @throws OrtException when the bytes are not a model of this shape */
  public static StaticModel load(byte[] onnx) throws OrtException {
    return load(onnx, false);
  }

  /**
   * @param cuda ask for the CUDA execution provider; where this ONNX Runtime build or the machine has none, the
   *             model runs on the CPU and one line says so
   */
  public static StaticModel load(byte[] onnx, boolean cuda) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      if (cuda) {
        try {
          options.addCUDA(0);
        } catch (OrtException | RuntimeException e) {
          LOG.warn("classifier.device cuda: no CUDA execution provider ({}); the classifier runs on the CPU",
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
        }
      }
      session = env.createSession(onnx, options);
    }
    try {
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      check(metadata.get(TASK_LABELS), Arrays.stream(TaskType.values()).map(TaskType::wireName).toList());
      check(metadata.get(COMPLEXITY_LABELS), Arrays.stream(Complexity.values()).map(Complexity::wireName).toList());
      if (!session.getInputNames().containsAll(Set.of(INPUT_IDS, INPUT_MASK))) {
        throw new IllegalArgumentException("model inputs are " + session.getInputNames());
      }
    } catch (RuntimeException | OrtException e) {
      session.close();
      throw e;
    }
    return new StaticModel(env, session);
  }

  private static void check(String labels, List<String> expected) {
    if (labels == null || !Arrays.asList(labels.split(",")).equals(expected)) {
      throw new IllegalArgumentException("model labels " + labels + " are not " + expected);
    }
  }

  public Prediction predict(long[] ids) throws OrtException {
    float[] mask = new float[ids.length];
    Arrays.fill(mask, 1f);
    try (OnnxTensor idTensor = OnnxTensor.createTensor(env, new long[][] {ids});
         OnnxTensor maskTensor = OnnxTensor.createTensor(env, new float[][] {mask});
         OrtSession.Result result = session.run(Map.of(INPUT_IDS, idTensor, INPUT_MASK, maskTensor))) {
      float[][] task = (float[][]) result.get(TASK_OUTPUT).orElseThrow().getValue();
      float[][] complexity = (float[][]) result.get(COMPLEXITY_OUTPUT).orElseThrow().getValue();
      return new Prediction(task[0], complexity[0]);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
