package io.switchboard.execute;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.ResilienceConfig;
import io.switchboard.openai.ApiException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One circuit breaker per model on this node, shared by every event loop. A breaker guards only the wait for
 * the response head: a long healthy stream never counts against it, and only failures that say the model is
 * unhealthy (errors of 500 and above, 429, timeouts, broken connections) do. Its state is the gauge
 * {@code switchboard_breaker_state} (0 closed, 1 half-open, 2 open).
 */
public final class Breakers {

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final CircuitBreakerOptions options;
  private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public Breakers(Vertx vertx, MeterRegistry registry, ResilienceConfig config) {
    this.vertx = vertx;
    this.registry = registry;
    // timeouts are the upstream call's own (connect, first byte): the breaker only counts outcomes
    this.options = new CircuitBreakerOptions()
      .setMaxFailures(config.breakerFailures())
      .setFailuresRollingWindow(config.breakerWindowMillis())
      .setResetTimeout(config.breakerOpenMillis())
      .setTimeout(-1)
      .setMaxRetries(0)
      .setNotificationAddress(null);
  }

  public CircuitBreaker of(ModelConfig model) {
    return breakers.computeIfAbsent(model.id(), id -> {
      CircuitBreaker breaker = CircuitBreaker.create("model:" + id, vertx, options)
        .failurePolicy(result -> result.failed() && countsAgainstModel(result.cause()));
      Gauge.builder("switchboard.breaker.state", breaker, Breakers::stateValue)
        .description("Circuit breaker of a model: 0 closed, 1 half-open (one probe allowed), 2 open")
        .tags("model", id, "provider", model.provider())
        .register(registry);
      return breaker;
    });
  }

  static boolean countsAgainstModel(Throwable failure) {
    if (!(failure instanceof ApiException api)) {
      return true;
    }
    return FailoverRule.of(api.error()).countsAgainstModel();
  }

  private static double stateValue(CircuitBreaker breaker) {
    CircuitBreakerState state = breaker.state();
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
