package io.switchboard.config;

import java.util.Set;

/**
 * Tier 2 of the request classifier ({@code classifier.tier: encoder}): the full all-MiniLM-L6-v2 encoder and heads.
 * It sheds a request to tier 1 when {@code maxQueue} requests already wait for an encoder thread, or when it has
 * not answered within {@code budgetMs}.
 *
 * @param model    the encoder: a path, else the same path on the class path (the LangChain4j artifact carries it)
 * @param heads    the task-type and complexity heads trained on the encoder's embeddings: a path, else the class path
 * @param workers  threads of the {@code switchboard-classify-encoder} pool, each running one inference at a time
 * @param maxQueue requests that may wait for an encoder thread; past that a request is shed to tier 1
 * @param budgetMs past this (queueing included) tier 1 answers the request instead
 */
public record EncoderConfig(String model, String heads, int workers, int maxQueue, long budgetMs) {

  public static final EncoderConfig DEFAULT = new EncoderConfig("all-minilm-l6-v2-q.onnx",
    "models/encoder/heads.onnx", 1, 4, 100);

  static EncoderConfig from(ConfigReader r) {
    r.allowOnly(Set.of("model", "heads", "workers", "max_queue", "budget_ms"));
    return new EncoderConfig(r.string("model", DEFAULT.model()), r.string("heads", DEFAULT.heads()),
      r.intValue("workers", DEFAULT.workers(), 1, 256), r.intValue("max_queue", DEFAULT.maxQueue(), 1, 100_000),
      r.longValue("budget_ms", DEFAULT.budgetMs(), 1, 60_000));
  }
}
