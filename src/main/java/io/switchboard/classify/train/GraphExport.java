package io.switchboard.classify.train;

import io.switchboard.classify.Complexity;
import io.switchboard.classify.StaticModel;
import io.switchboard.classify.TaskType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tier-1 model as one ONNX graph: Gather the int8 rows and their scales, dequantize, masked mean over the
 * sequence, then a Gemm and a Softmax per head.
 */
final class GraphExport {

  private GraphExport() {
  }

  static byte[] build(StaticTable table, float[] taskW, float[] taskB, float[] complexityW, float[] complexityB,
                      Map<String, String> extraMetadata) {
    int dims = table.dims;
    OnnxGraph g = new OnnxGraph()
      .input(StaticModel.INPUT_IDS, OnnxGraph.INT64, "batch", "sequence")
      .input(StaticModel.INPUT_MASK, OnnxGraph.FLOAT, "batch", "sequence")
      .int8s("table", new long[] {table.rows(), dims}, table.values)
      .floats("scales", new long[] {table.rows(), 1}, table.scales)
      .int64s("axis1", new long[] {1}, new long[] {1})
      .int64s("axis2", new long[] {1}, new long[] {2})
      .floats("epsilon", new long[] {}, new float[] {1e-6f})
      .floats("task_w", new long[] {dims, taskB.length}, taskW)
      .floats("task_b", new long[] {taskB.length}, taskB)
      .floats("complexity_w", new long[] {dims, complexityB.length}, complexityW)
      .floats("complexity_b", new long[] {complexityB.length}, complexityB)
      .node("Gather", List.of("table", StaticModel.INPUT_IDS), "rows_q", Map.of("axis", 0L))
      .node("Cast", List.of("rows_q"), "rows_f", Map.of("to", (long) OnnxGraph.FLOAT))
      .node("Gather", List.of("scales", StaticModel.INPUT_IDS), "row_scales", Map.of("axis", 0L))
      .node("Mul", List.of("rows_f", "row_scales"), "rows", Map.of())
      .node("Unsqueeze", List.of(StaticModel.INPUT_MASK, "axis2"), "mask3", Map.of())
      .node("Mul", List.of("rows", "mask3"), "masked", Map.of())
      .node("ReduceSum", List.of("masked", "axis1"), "summed", Map.of("keepdims", 0L))
      .node("ReduceSum", List.of(StaticModel.INPUT_MASK, "axis1"), "count", Map.of("keepdims", 1L))
      .node("Max", List.of("count", "epsilon"), "count_safe", Map.of())
      .node("Div", List.of("summed", "count_safe"), "pooled", Map.of())
      .node("Gemm", List.of("pooled", "task_w", "task_b"), "task_logits", Map.of())
      .node("Softmax", List.of("task_logits"), StaticModel.TASK_OUTPUT, Map.of("axis", 1L))
      .node("Gemm", List.of("pooled", "complexity_w", "complexity_b"), "complexity_logits", Map.of())
      .node("Softmax", List.of("complexity_logits"), StaticModel.COMPLEXITY_OUTPUT, Map.of("axis", 1L))
      .output(StaticModel.TASK_OUTPUT, OnnxGraph.FLOAT, "batch", (long) taskB.length)
      .output(StaticModel.COMPLEXITY_OUTPUT, OnnxGraph.FLOAT, "batch", (long) complexityB.length);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(StaticModel.TASK_LABELS,
      Arrays.stream(TaskType.values()).map(TaskType::wireName).collect(Collectors.joining(",")));
    metadata.put(StaticModel.COMPLEXITY_LABELS,
      Arrays.stream(Complexity.values()).map(Complexity::wireName).collect(Collectors.joining(",")));
    metadata.putAll(extraMetadata);
    return g.model("switchboard-task-classifier", "switchboard train-classifier", metadata);
  }
}
