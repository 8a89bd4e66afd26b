package io.switchboard.config;

import java.util.Set;

/**
 * Which request classifier answers, and how it runs.
 *
 * @param tier         {@code heuristic} (keyword rules, no model) or {@code static} (the tier-1 ONNX model, with the
 *                     heuristic as its fallback)
 * @param model        the tier-1 model file: a path, else the same path on the class path (inside the jar)
 * @param device       {@code cpu} or {@code cuda}; {@code cuda} falls back to the CPU, with one log line, where
 *                     this ONNX Runtime build has no CUDA provider
 * @param workers      threads of the {@code switchboard-classify} pool that runs inference
 * @param cacheEntries answers kept by a hash of the normalized prompt text (least recently used go first)
 * @param timeoutMs    past this the heuristic answers instead of the model
 */
public record ClassifierConfig(String tier, String model, String device, int workers, int cacheEntries,
                               long timeoutMs) {

  public static final String HEURISTIC = "heuristic";
  public static final String STATIC = "static";

  static ClassifierConfig from(ConfigReader r) {
    r.allowOnly(Set.of("tier", "model", "device", "workers", "cache_entries", "timeout_ms"));
    String tier = r.string("tier", HEURISTIC);
    if (!tier.equals(HEURISTIC) && !tier.equals(STATIC)) {
      throw new ConfigException(r.key("tier") + ": must be heuristic or static (the encoder tier is not"
        + " available in this version), is '" + tier + "'");
    }
    String device = r.string("device", "cpu");
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw new ConfigException(r.key("device") + ": must be cpu or cuda, is '" + device + "'");
    }
    return new ClassifierConfig(tier, r.string("model", "models/static/task-classifier.onnx"), device,
      r.intValue("workers", 2, 1, 256), r.intValue("cache_entries", 10_000, 0, 10_000_000),
      r.longValue("timeout_ms", 50, 1, 60_000));
  }
}
