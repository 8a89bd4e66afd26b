package io.switchboard.classify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The all-MiniLM-L6-v2 encoder in ONNX Runtime: WordPiece ids in, one sentence embedding out (the encoder's last
 * hidden states averaged over the tokens, then scaled to unit length, as sentence-transformers does). One session
 * per process, shared by the worker threads; each run uses one CPU thread, so the pool's size is the parallelism.
 */
public final class SentenceEncoder implements AutoCloseable {

  /** The quantized encoder inside the LangChain4j artifact, which the project uses only as a carrier of this file. */
  public static final String RESOURCE = "all-minilm-l6-v2-q.onnx";
  public static final int DIMS = 384;

  private static final Logger LOG = LoggerFactory.getLogger(SentenceEncoder.class);

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean tokenTypes;

  private SentenceEncoder(OrtEnvironment env, OrtSession session) {
    this.env = env;
    this.session = session;
    this.tokenTypes = session.getInputNames().contains("token_type_ids");
  }

  /**
   * @param cuda ask for the CUDA execution provider; where this ONNX Runtime build or the machine has none, the
   *             encoder runs on the CPU and one line says so
   * @throws OrtException when the bytes are not an ONNX model
   */
  public static SentenceEncoder load(byte[] onnx, boolean cuda) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      if (cuda) {
        try {
          options.addCUDA(0);
        } catch (OrtException | RuntimeException e) {
          LOG.warn("classifier.device cuda: no CUDA execution provider ({}); the encoder runs on the CPU",
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
        }
      }
      OrtSession session = env.createSession(onnx, options);
      if (!session.getInputNames().contains("input_ids") || !session.getInputNames().contains("attention_mask")) {
        String inputs = session.getInputNames().toString();
        session.close();
        throw new IllegalArgumentException("encoder inputs are " + inputs);
      }
      return new SentenceEncoder(env, session);
    }
  }

  /** The unit-length mean of the encoder's output over the ids (which carry {@code [CLS]} and {@code [SEP]}). */
  public float[] embed(long[] ids) throws OrtException {
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor idTensor = OnnxTensor.createTensor(env, new long[][] {ids});
         OnnxTensor maskTensor = OnnxTensor.createTensor(env, new long[][] {mask});
         OnnxTensor typeTensor = OnnxTensor.createTensor(env, new long[][] {new long[ids.length]})) {
      inputs.put("input_ids", idTensor);
      inputs.put("attention_mask", maskTensor);
      if (tokenTypes) {
        inputs.put("token_type_ids", typeTensor);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
        float[] mean = new float[hidden[0].length];
        for (float[] position : hidden) {
          for (int d = 0; d < mean.length; d++) {
            mean[d] += position[d];
          }
        }
        double norm = 0;
        for (float v : mean) {
          norm += (double) v * v;
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < mean.length; d++) {
          mean[d] *= scale;
        }
        return mean;
      }
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
