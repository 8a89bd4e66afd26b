package io.switchboard.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.cost.AttemptRecord;
import io.switchboard.cost.UsageRecord;
import io.switchboard.route.EscalationRecord;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Every Switchboard meter. Label values come only from closed sets: configured model and provider names, the
 * task-type enum, the outcome enum, HTTP status codes the gateway itself chose. Never keys, tenants or prompts.
 * Thread-safe; meters are created on first use and cached per model, so recording is a map lookup.
 */
public final class GatewayMeters {

  private static final Duration[] OVERHEAD_BUCKETS = durations(TimeUnit.MICROSECONDS,
    25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000);
  private static final Duration[] TTFB_BUCKETS = durations(TimeUnit.MILLISECONDS,
    10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);

  private final MeterRegistry registry;
  private final ConcurrentMap<String, ModelMeters> models = new ConcurrentHashMap<>();
  private final ConcurrentMap<Integer, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> cacheRequests = new HashMap<>();
  private final ConcurrentMap<String, Counter> economyShifts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> escalations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> contextCounters = new ConcurrentHashMap<>();

  public GatewayMeters(MeterRegistry registry) {
    this.registry = registry;
    for (String result : List.of("hit", "miss", "bypass", "error")) {
      cacheRequests.put(result, Counter.builder("switchboard.cache.requests")
        .description("Chat requests by what the response cache did (error: its store could not be read, served as a miss)")
        .tag("result", result).register(registry));
    }
  }

  /** One chat request's response-cache outcome: {@code hit}, {@code miss}, {@code bypass} or {@code error}. */
  public void cacheRequest(String result) {
    cacheRequests.get(result).increment();
  }

  /** Economy mode routed a request of {@code policy} (a configured policy name) one tier cheaper. */
  public void economyShift(String policy) {
    economyShifts.computeIfAbsent(policy, p -> Counter.builder("switchboard.routing.economy")
      .description("Routing decisions that economy mode moved one tier cheaper").tag("policy", p).register(registry))
      .increment();
  }

  /** Time spent in the gateway itself for one request, upstream time excluded. */
  public void overhead(String model, String provider, boolean streaming, long nanos) {
    ModelMeters meters = of(model, provider);
    (streaming ? meters.streamOverhead : meters.jsonOverhead).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** Upstream time to first byte: the first body byte of a stream, the response head of a JSON answer. */
  public void upstreamTtfb(String model, String provider, long nanos) {
    of(model, provider).ttfb.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** An error answer, by HTTP status. */
  public void errors(int status) {
    errors.computeIfAbsent(status, s -> Counter.builder("switchboard.http.errors")
      .description("Error answers by HTTP status").tag("status", Integer.toString(s)).register(registry)).increment();
  }

  /** Counts a finished, routed request: requests, tokens, cost, baseline cost and savings. */
  void record(UsageRecord record) {
    ModelMeters meters = of(record.model(), record.provider());
    meters.requests(record.taskType(), record.outcome().wireName()).increment();
    meters.tokensIn.increment(record.usage().promptTokens());
    meters.tokensOut.increment(record.usage().completionTokens());
    meters.tokensCached.increment(Math.min(record.usage().cachedTokens(), record.usage().promptTokens()));
    meters.cost.increment(record.costMicros() / 1e6);
    meters.baseline.increment(record.baselineCostMicros() / 1e6);
    meters.savings.increment(record.savingsMicros() / 1e6);
  }

  /** What a call's cached prompt tokens saved, in micro-dollars (see {@code cost.CacheSavings}). */
  void promptCacheSavings(String model, String provider, long micros) {
    if (micros > 0) {
      of(model, provider).cacheSavings.increment(micros / 1e6);
    }
  }

  /** A request of {@code policy} lost its oldest turns ({@code tokens} prompt tokens) to its context budget. */
  public void contextTrimmed(String policy, long tokens) {
    contextCounter("switchboard.context.trimmed", "Requests whose oldest turns were removed to fit the policy's "
      + "context budget", policy).increment();
    contextCounter("switchboard.context.trimmed.tokens", "Prompt tokens removed by context trimming", policy)
      .increment(tokens);
  }

  /** A request of {@code policy} had its max_tokens capped by the policy. */
  public void contextCapped(String policy) {
    contextCounter("switchboard.context.capped", "Requests whose max_tokens the policy capped", policy).increment();
  }

  private Counter contextCounter(String name, String description, String policy) {
    return contextCounters.computeIfAbsent(name + '|' + policy, k -> Counter.builder(name).description(description)
      .tag("policy", policy).register(registry));
  }

  /**
   * One escalation: an answer failed its quality check for {@code reason} (a closed set) under {@code policy} (a
   * configured policy name; empty, for a model named by the client, counts as {@code none}).
   */
  void escalation(EscalationRecord record) {
    String policy = record.policy().isEmpty() ? "none" : record.policy();
    escalations.computeIfAbsent(record.reason() + '|' + policy, k -> Counter.builder("switchboard.escalations")
      .description("Answers that failed the quality check and were asked of the next model")
      .tags("reason", record.reason(), "policy", policy).register(registry)).increment();
  }

  /** A model is tried again after a failure. */
  public void retry(String model, String provider) {
    of(model, provider).retries.increment();
  }

  /** A request moves on from this model to the next one of its chain. */
  public void fallback(String model, String provider) {
    of(model, provider).fallbacks.increment();
  }

  /** A call to this model was not made because the model's or the key's ({@code scope}) rate limit is reached. */
  public void rateLimited(String model, String provider, String scope) {
    ModelMeters meters = of(model, provider);
    ("key".equals(scope) ? meters.keyLimited : meters.modelLimited).increment();
  }

  /** Counts one upstream call by how it ended ({@code ok} or an error code from the gateway's fixed list). */
  void record(AttemptRecord attempt) {
    of(attempt.model(), attempt.provider()).attempts(attempt.outcome()).increment();
  }

  private ModelMeters of(String model, String provider) {
    return models.computeIfAbsent(model, m -> new ModelMeters(registry, m, provider));
  }

  /** The meters of one configured model (a model belongs to exactly one provider). */
  private static final class ModelMeters {
    private final MeterRegistry registry;
    private final String model;
    private final String provider;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> attempts = new ConcurrentHashMap<>();
    final Counter retries;
    final Counter fallbacks;
    final Counter modelLimited;
    final Counter keyLimited;
    final Counter tokensIn;
    final Counter tokensOut;
    final Counter tokensCached;
    final Counter cacheSavings;
    final Counter cost;
    final Counter baseline;
    final Counter savings;
    final Timer jsonOverhead;
    final Timer streamOverhead;
    final Timer ttfb;

    ModelMeters(MeterRegistry registry, String model, String provider) {
      this.registry = registry;
      this.model = model;
      this.provider = provider;
      retries = Counter.builder("switchboard.upstream.retries").description("Tries of a model after it failed")
        .tags("model", model, "provider", provider).register(registry);
      fallbacks = Counter.builder("switchboard.upstream.fallbacks")
        .description("Requests that moved on from this model to the next one of their chain")
        .tags("model", model, "provider", provider).register(registry);
      modelLimited = rateLimited("model");
      keyLimited = rateLimited("key");
      tokensIn = tokens("in");
      tokensOut = tokens("out");
      tokensCached = tokens("cached");
      cacheSavings = money("switchboard.prompt.cache.savings.usd",
        "What cached prompt tokens saved against the model's input rate, US dollars");
      cost = money("switchboard.cost.usd", "Cost in US dollars");
      baseline = money("switchboard.baseline.cost.usd", "Baseline model's cost for the same tokens, US dollars");
      savings = money("switchboard.savings.usd", "Baseline cost minus cost, US dollars");
      jsonOverhead = overhead(false);
      streamOverhead = overhead(true);
      ttfb = Timer.builder("switchboard.upstream.ttfb")
        .description("Upstream time to first byte (streams: first body byte; JSON: response head)")
        .tags("model", model, "provider", provider).serviceLevelObjectives(TTFB_BUCKETS).register(registry);
    }

    Counter requests(String taskType, String status) {
      return requests.computeIfAbsent(taskType + '|' + status, k -> Counter.builder("switchboard.requests")
        .description("Routed requests").tags("model", model, "provider", provider, "task_type", taskType,
          "status", status).register(registry));
    }

    Counter attempts(String outcome) {
      return attempts.computeIfAbsent(outcome, k -> Counter.builder("switchboard.upstream.attempts")
        .description("Calls to upstreams by how they ended: ok or the error code")
        .tags("model", model, "provider", provider, "outcome", outcome).register(registry));
    }

    private Counter rateLimited(String scope) {
      return Counter.builder("switchboard.ratelimit.rejections")
        .description("Calls not made because a rate limit of the model or of the provider key was reached")
        .tags("model", model, "provider", provider, "scope", scope).register(registry);
    }

    private Counter tokens(String direction) {
      return Counter.builder("switchboard.tokens").description("Tokens consumed")
        .tags("model", model, "provider", provider, "direction", direction).register(registry);
    }

    private Counter money(String name, String description) {
      return Counter.builder(name).description(description).tags("model", model, "provider", provider)
        .register(registry);
    }

    private Timer overhead(boolean streaming) {
      return Timer.builder("switchboard.gateway.overhead")
        .description("Time spent in the gateway per request, excluding upstream time")
        .tags("model", model, "provider", provider, "stream", Boolean.toString(streaming))
        .serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry);
    }
  }

  private static Duration[] durations(TimeUnit unit, long... values) {
    Duration[] result = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = Duration.ofNanos(unit.toNanos(values[i]));
    }
    return result;
  }
}
