package io.switchboard.classify.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Static token embeddings from the all-MiniLM-L6-v2 encoder (the Model2Vec idea): each vocabulary token is
 * encoded alone, as {@code [CLS] token [SEP]}, and the encoder's output is mean-pooled over those three positions.
 */
final class Distiller {

  /** The quantized encoder inside the LangChain4j artifact, used only as a carrier of this file. */
  static final String ENCODER_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final int CLS = 101;
  static final int SEP = 102;
  private static final int BATCH = 512;

  private Distiller() {
  }

  /** One row per token id; {@code progress} receives the number of tokens done. */
  static float[][] embed(int vocabularySize, IntConsumer progress) throws IOException, OrtException {
    byte[] model;
    try (InputStream in = Distiller.class.getResourceAsStream(ENCODER_RESOURCE)) {
      if (in == null) {
        throw new IOException("the encoder " + ENCODER_RESOURCE + " is not on the class path");
      }
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[][] rows = new float[vocabularySize][];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(model, options)) {
      for (int from = 0; from < vocabularySize; from += BATCH) {
        int n = Math.min(BATCH, vocabularySize - from);
        long[][] ids = new long[n][];
        long[][] mask = new long[n][];
        long[][] types = new long[n][];
        for (int i = 0; i < n; i++) {
          ids[i] = new long[] {CLS, from + i, SEP};
          mask[i] = new long[] {1, 1, 1};
          types[i] = new long[3];
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor t1 = OnnxTensor.createTensor(env, ids);
             OnnxTensor t2 = OnnxTensor.createTensor(env, mask);
             OnnxTensor t3 = OnnxTensor.createTensor(env, types)) {
          inputs.put("input_ids", t1);
          inputs.put("attention_mask", t2);
          if (session.getInputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", t3);
          }
          try (OrtSession.Result result = session.run(inputs)) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            for (int i = 0; i < n; i++) {
              float[] mean = new float[hidden[i][0].length];
              for (float[] position : hidden[i]) {
                for (int d = 0; d < mean.length; d++) {
                  mean[d] += position[d] / hidden[i].length;
                }
              }
              rows[from + i] = mean;
            }
          }
        }
        progress.accept(from + n);
      }
    }
    return rows;
  }
}
