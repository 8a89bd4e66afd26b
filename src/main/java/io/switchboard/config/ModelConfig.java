package io.switchboard.config;

import io.switchboard.classify.TaskType;
import io.switchboard.limit.Limits;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the model catalog.
 *
 * @param upstream the model name the provider expects
 * @param quality 0-100 per task type, with {@code defaultQuality} for task types not listed
 * @param latencyMillis typical time to a whole answer, for the {@code max_latency_ms} constraint and the latency
 *                      factor of scoring: {@code latency_ms}, else the default of the latency class
 * @param fallbacks models to try, in order, when this one cannot serve
 * @param limits per-minute limits on calls to this model, on this node
 */
public record ModelConfig(String id, String provider, String upstream, Prices prices, long contextWindow, long maxOutput,
                          int defaultQuality, Map<TaskType, Integer> quality, LatencyClass latency, long latencyMillis,
                          List<String> fallbacks,
                          Limits limits) {

  /** How fast a model answers, coarsely, for routing and explanations. */
  public enum LatencyClass {
    FAST(2_000), MEDIUM(5_000), SLOW(15_000);

    private final long defaultMillis;

    LatencyClass(long defaultMillis) {
      this.defaultMillis = defaultMillis;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The latency assumed for a model of this class that sets no {@code latency_ms}. */
    public long defaultMillis() {
      return defaultMillis;
    }
  }

  public ModelConfig {
    quality = Map.copyOf(quality);
    fallbacks = List.copyOf(fallbacks);
  }

  static ModelConfig from(String id, ConfigReader r) {
    r.allowOnly(Set.of("provider", "upstream", "prices", "context_window", "max_output", "quality", "latency",
      "latency_ms", "fallbacks", "limits"));
    ConfigReader q = r.section("quality");
    int defaultQuality = q.intValue("default", 50, 0, 100);
    Map<TaskType, Integer> quality = new EnumMap<>(TaskType.class);
    for (String key : q.fieldNames()) {
      if (key.equals("default")) {
        continue;
      }
      TaskType type = TaskType.fromWireName(key)
        .orElseThrow(() -> new ConfigException(q.key(key) + ": unknown task type"));
      quality.put(type, q.intValue(key, defaultQuality, 0, 100));
    }
    String latency = r.string("latency", "medium");
    LatencyClass latencyClass;
    try {
      latencyClass = LatencyClass.valueOf(latency.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.key("latency") + ": must be fast, medium or slow");
    }
    long contextWindow = r.longValue("context_window", 128_000, 1, 100_000_000);
    return new ModelConfig(id, r.requiredString("provider"), r.string("upstream", id), Prices.from(r.section("prices")),
      contextWindow, r.longValue("max_output", Math.min(contextWindow, 4_096), 1, contextWindow), defaultQuality,
      quality, latencyClass, r.longValue("latency_ms", latencyClass.defaultMillis(), 1, 3_600_000),
      r.stringList("fallbacks"), readLimits(r.section("limits")));
  }

  private static Limits readLimits(ConfigReader r) {
    r.allowOnly(LimitsReader.KEYS);
    return LimitsReader.read(r);
  }

  public int quality(TaskType type) {
    return quality.getOrDefault(type, defaultQuality);
  }
}
