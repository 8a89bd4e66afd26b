package io.switchboard.classify.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX {@code ModelProto} against the field numbers of the public {@code onnx.proto}: nodes, tensor
 * initializers, typed inputs and outputs, metadata. Only what the tier-1 classifier's graph uses.
 */
final class OnnxGraph {

  static final int FLOAT = 1;
  static final int INT8 = 3;
  static final int INT64 = 7;
  /** IR version 8 with opset 13: every ONNX Runtime since 1.10 reads it. */
  private static final long IR_VERSION = 8;
  private static final long OPSET = 13;

  private static final int ATTR_INT = 2;

  private final List<Proto> nodes = new ArrayList<>();
  private final List<Proto> initializers = new ArrayList<>();
  private final List<Proto> inputs = new ArrayList<>();
  private final List<Proto> outputs = new ArrayList<>();

  /** A node named after its output, with integer attributes. */
  OnnxGraph node(String op, List<String> in, String out, Map<String, Long> attributes) {
    Proto node = new Proto();
    in.forEach(name -> node.string(1, name));
    node.string(2, out).string(3, out).string(4, op);
    attributes.forEach((name, value) -> node.message(5, new Proto().string(1, name).int64(3, value)
      .int64(20, ATTR_INT)));
    nodes.add(node);
    return this;
  }

  OnnxGraph floats(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return tensor(name, dims, FLOAT, raw.array());
  }

  OnnxGraph int8s(String name, long[] dims, byte[] values) {
    return tensor(name, dims, INT8, values);
  }

  OnnxGraph int64s(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return tensor(name, dims, INT64, raw.array());
  }

  private OnnxGraph tensor(String name, long[] dims, int type, byte[] raw) {
    Proto tensor = new Proto();
    for (long d : dims) {
      tensor.int64(1, d);
    }
    tensor.int64(2, type).string(8, name).bytes(9, raw);
    initializers.add(tensor);
    return this;
  }

  /** A graph input or output; a {@code String} dimension is symbolic, a {@code Long} fixed. */
  OnnxGraph input(String name, int type, Object... dims) {
    inputs.add(valueInfo(name, type, dims));
    return this;
  }

  OnnxGraph output(String name, int type, Object... dims) {
    outputs.add(valueInfo(name, type, dims));
    return this;
  }

  private static Proto valueInfo(String name, int type, Object... dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      shape.message(1, d instanceof String s ? new Proto().string(2, s) : new Proto().int64(1, (Long) d));
    }
    Proto tensorType = new Proto().int64(1, type).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
  }

  byte[] model(String graphName, String producer, Map<String, String> metadata) {
    Proto graph = new Proto();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    Proto model = new Proto().int64(1, IR_VERSION).string(2, producer).message(7, graph)
      .message(8, new Proto().string(1, "").int64(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new Proto().string(1, k).string(2, v)));
    return model.toByteArray();
  }
}
