package io.switchboard.config;

import java.util.Set;

/**
 * Which request classifier answers, and how it runs.
 *
 * @param tier         {@code heuristic} (keyword rules, no model), {@code static} (the tier-1 ONNX model, with the
 *                     heuristic as its fallback) or {@code encoder} (tier 2, shedding to tier 1)
 * @param model        the tier-1 model file: a path, else the same path on the class path (inside the jar)
 * @param device       {@code cpu} or {@code cuda}; {@code cuda} falls back to the CPU, with one log line, where
 *                     this ONNX Runtime build has no CUDA provider
 * @param workers      threads of the {@code switchboard-classify} pool that runs inference
 * @param cacheEntries answers kept by a hash of the normalized prompt text (least recently used go first)
 * @param timeoutMs    past this the heuristic answers instead of the model
 * @param encoder      tier 2's files, pool, queue bound and latency budget (read only by the encoder tier)
 */
public record ClassifierConfig(String tier, String model, String device, int workers, int cacheEntries,
                               long timeoutMs, EncoderConfig encoder) {

  public static final String HEURISTIC = "heuristic";
  public static final String STATIC = "static";
  public static final String ENCODER = "encoder";

  /** Without a tier-2 section: the encoder's defaults. */
  public ClassifierConfig(String tier, String model, String device, int workers, int cacheEntries, long timeoutMs) {
    this(tier, model, device, workers, cacheEntries, timeoutMs, EncoderConfig.DEFAULT);
  }

  static ClassifierConfig from(ConfigReader r) {
    r.allowOnly(Set.of("tier", "model", "device", "workers", "cache_entries", "timeout_ms", "encoder"));
    String tier = r.string("tier", HEURISTIC);
    if (!tier.equals(HEURISTIC) && !tier.equals(STATIC) && !tier.equals(ENCODER)) {
      throw new ConfigException(r.key("tier") + ": must be heuristic, static or encoder, is '" + tier + "'");
    }
    String device = r.string("device", "cpu");
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw new ConfigException(r.key("device") + ": must be cpu or cuda, is '" + device + "'");
    }
    return new ClassifierConfig(tier, r.string("model", "models/static/task-classifier.onnx"), device,
      r.intValue("workers", 2, 1, 256), r.intValue("cache_entries", 10_000, 0, 10_000_000),
      r.longValue("timeout_ms", 50, 1, 60_000), EncoderConfig.from(r.section("encoder")));
  }
}
