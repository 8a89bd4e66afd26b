package io.switchboard.classify.train;

import io.switchboard.classify.Complexity;
import io.switchboard.classify.EncoderModel;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.TaskType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The tier-2 heads as one small ONNX graph: sentence embedding in, a Gemm and a Softmax per head. */
final class HeadsExport {

  private HeadsExport() {
  }

  static byte[] build(int dims, float[] taskW, float[] taskB, float[] complexityW, float[] complexityB,
                      Map<String, String> extraMetadata) {
    OnnxGraph g = new OnnxGraph()
      .input(EncoderModel.EMBEDDING, OnnxGraph.FLOAT, "batch", (long) dims)
      .floats("task_w", new long[] {dims, taskB.length}, taskW)
      .floats("task_b", new long[] {taskB.length}, taskB)
      .floats("complexity_w", new long[] {dims, complexityB.length}, complexityW)
      .floats("complexity_b", new long[] {complexityB.length}, complexityB)
      .node("Gemm", List.of(EncoderModel.EMBEDDING, "task_w", "task_b"), "task_logits", Map.of())
      .node("Softmax", List.of("task_logits"), StaticModel.TASK_OUTPUT, Map.of("axis", 1L))
      .node("Gemm", List.of(EncoderModel.EMBEDDING, "complexity_w", "complexity_b"), "complexity_logits", Map.of())
      .node("Softmax", List.of("complexity_logits"), StaticModel.COMPLEXITY_OUTPUT, Map.of("axis", 1L))
      .output(StaticModel.TASK_OUTPUT, OnnxGraph.FLOAT, "batch", (long) taskB.length)
      .output(StaticModel.COMPLEXITY_OUTPUT, OnnxGraph.FLOAT, "batch", (long) complexityB.length);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(StaticModel.TASK_LABELS,
      Arrays.stream(TaskType.values()).map(TaskType::wireName).collect(Collectors.joining(",")));
    metadata.put(StaticModel.COMPLEXITY_LABELS,
      Arrays.stream(Complexity.values()).map(Complexity::wireName).collect(Collectors.joining(",")));
    metadata.putAll(extraMetadata);
    return g.model("switchboard-encoder-heads", "switchboard train-classifier", metadata);
  }
}
