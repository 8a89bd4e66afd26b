package io.switchboard.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.cost.UsageRecord;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Every Switchboard meter. Label values come only from closed sets: configured model and provider names, the
 * task-type enum, the outcome enum, HTTP status codes the gateway itself chose. Never keys, tenants or prompts.
 * Thread-safe; meters are created once and cached.
 */
public final class GatewayMeters {

  private static final Duration[] OVERHEAD_BUCKETS = durations(TimeUnit.MICROSECONDS,
    25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000);
  private static final Duration[] TTFB_BUCKETS = durations(TimeUnit.MILLISECONDS,
    10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public GatewayMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Time spent in the gateway itself for one request, upstream time excluded. */
  public void overhead(String model, String provider, boolean streaming, long nanos) {
    timers.computeIfAbsent("overhead|" + model + "|" + provider + "|" + streaming, k -> Timer
        .builder("switchboard.gateway.overhead")
        .description("Time spent in the gateway per request, excluding upstream time")
        .tags("model", model, "provider", provider, "stream", Boolean.toString(streaming))
        .serviceLevelObjectives(OVERHEAD_BUCKETS)
        .register(registry))
      .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** Upstream time to first byte of the body (streams) or to the response head. */
  public void upstreamTtfb(String model, String provider, long nanos) {
    timers.computeIfAbsent("ttfb|" + model + "|" + provider, k -> Timer
        .builder("switchboard.upstream.ttfb")
        .description("Upstream time to first byte")
        .tags("model", model, "provider", provider)
        .serviceLevelObjectives(TTFB_BUCKETS)
        .register(registry))
      .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** An error answer, by HTTP status. */
  public void errors(int status) {
    counter("switchboard.http.errors", "Error answers by HTTP status", "status", Integer.toString(status))
      .increment();
  }

  /** Counts a finished, routed request: requests, tokens, cost, baseline cost and savings. */
  void record(UsageRecord record) {
    String model = record.model();
    String provider = record.provider();
    counter("switchboard.requests", "Routed requests", "model", model, "provider", provider,
      "task_type", record.taskType(), "status", record.outcome().wireName()).increment();
    counter("switchboard.tokens", "Tokens consumed", "model", model, "provider", provider, "direction", "in")
      .increment(record.usage().promptTokens());
    counter("switchboard.tokens", "Tokens consumed", "model", model, "provider", provider, "direction", "out")
      .increment(record.usage().completionTokens());
    counter("switchboard.cost.usd", "Cost in US dollars", "model", model, "provider", provider)
      .increment(record.costMicros() / 1e6);
    counter("switchboard.baseline.cost.usd", "Baseline model's cost for the same tokens, US dollars", "model", model,
      "provider", provider).increment(record.baselineCostMicros() / 1e6);
    counter("switchboard.savings.usd", "Baseline cost minus cost, US dollars", "model", model, "provider", provider)
      .increment(record.savingsMicros() / 1e6);
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + "|" + String.join("|", tags),
      k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private static Duration[] durations(TimeUnit unit, long... values) {
    Duration[] result = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = Duration.ofNanos(unit.toNanos(values[i]));
    }
    return result;
  }
}
