package io.switchboard.classify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The tier-2 classifier: the {@link SentenceEncoder}'s embedding through the task-type and complexity heads, a small
 * ONNX graph ({@code models/encoder/heads.onnx}: Gemm and Softmax per head) trained by {@code train-classifier} on
 * the same encoder's embeddings. The heads always run on the CPU: two small matrix products.
 */
public final class EncoderModel implements AutoCloseable {

  /** The heads' input: a batch of sentence embeddings. */
  public static final String EMBEDDING = "embedding";

  private final SentenceEncoder encoder;
  private final OrtEnvironment env;
  private final OrtSession heads;

  private EncoderModel(SentenceEncoder encoder, OrtEnvironment env, OrtSession heads) {
    this.encoder = encoder;
    this.env = env;
    this.heads = heads;
  }

  /** @throws OrtException when either file is not an ONNX model; the encoder is closed again then */
  public static EncoderModel load(byte[] encoderOnnx, byte[] headsOnnx, boolean cuda) throws OrtException {
    SentenceEncoder encoder = SentenceEncoder.load(encoderOnnx, cuda);
    try {
      return new EncoderModel(encoder, OrtEnvironment.getEnvironment(), loadHeads(headsOnnx));
    } catch (OrtException | RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  private static OrtSession loadHeads(byte[] onnx) throws OrtException {
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = OrtEnvironment.getEnvironment().createSession(onnx, options);
    }
    try {
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      check(metadata.get(StaticModel.TASK_LABELS), Arrays.stream(TaskType.values()).map(TaskType::wireName).toList());
      check(metadata.get(StaticModel.COMPLEXITY_LABELS),
        Arrays.stream(Complexity.values()).map(Complexity::wireName).toList());
      if (!session.getInputNames().contains(EMBEDDING)) {
        throw new IllegalArgumentException("heads inputs are " + session.getInputNames());
      }
    } catch (RuntimeException | OrtException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static void check(String labels, List<String> expected) {
    if (labels == null || !Arrays.asList(labels.split(",")).equals(expected)) {
      throw new IllegalArgumentException("heads labels " + labels + " are not " + expected);
    }
  }

  public StaticModel.Prediction predict(long[] ids) throws OrtException {
    return heads(encoder.embed(ids));
  }

  /** The heads alone, on an embedding the {@link SentenceEncoder} made. */
  public StaticModel.Prediction heads(float[] embedding) throws OrtException {
    try (OnnxTensor input = OnnxTensor.createTensor(env, new float[][] {embedding});
         OrtSession.Result result = heads.run(Map.of(EMBEDDING, input))) {
      float[][] task = (float[][]) result.get(StaticModel.TASK_OUTPUT).orElseThrow().getValue();
      float[][] complexity = (float[][]) result.get(StaticModel.COMPLEXITY_OUTPUT).orElseThrow().getValue();
      return new StaticModel.Prediction(task[0], complexity[0]);
    }
  }

  @Override
  public void close() throws OrtException {
    try {
      heads.close();
    } finally {
      encoder.close();
    }
  }
}
