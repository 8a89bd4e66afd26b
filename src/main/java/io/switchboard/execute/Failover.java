package io.switchboard.execute;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.config.ResilienceConfig;
import io.switchboard.cost.Usage;
import io.switchboard.limit.Admission;
import io.switchboard.limit.Limits;
import io.switchboard.limit.Permit;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gets a request answered by its model or, failing that, by the next one in its chain (the route's fallbacks):
 * each model is tried up to {@code max_attempts} times with jittered back-off or the provider's
 * {@code Retry-After}, skipped while its breaker is open or it is at a rate limit, and all of it stops at the
 * request's deadline. Everything here happens before the first byte of the answer reaches the client; after
 * that, a failure is the client's to see.
 */
public final class Failover {

  /**
   * What to do with a 2xx answer. It ends the call ({@link UpstreamCall#end}) when it succeeds; it may fail
   * with an {@link ApiException} only while nothing reached the client, and then the next try follows.
   */
  @FunctionalInterface
  public interface Attempt<T> {
    Future<T> proceed(Routed servedBy, UpstreamCall call, HttpClientResponse response);
  }

  private final Vertx vertx;
  private final GatewayConfig config;
  private final ResilienceConfig resilience;
  private final Executor executor;
  private final CallGuards guards;
  private final Accountant accountant;
  private final GatewayMeters meters;

  public Failover(Vertx vertx, GatewayConfig config, Executor executor, CallGuards guards, Accountant accountant,
                  GatewayMeters meters) {
    this.vertx = vertx;
    this.config = config;
    this.resilience = config.resilience();
    this.executor = executor;
    this.guards = guards;
    this.accountant = accountant;
    this.meters = meters;
  }

  public <T> Future<T> run(ChatRequest request, Routed routed, String decisionId, Cancellation cancellation,
                           Attempt<T> attempt) {
    return run(request, routed, chain(routed), decisionId, new AtomicInteger(), cancellation, attempt);
  }

  /**
   * Tries the models of {@code chain} in order (not the route's own chain).
   *
   * @param calls upstream calls the request made so far, counted on by this run: several runs of one request
   *              (an escalation, a review) number their calls as one sequence
   */
  <T> Future<T> run(ChatRequest request, Routed routed, List<ModelConfig> chain, String decisionId, AtomicInteger calls,
                    Cancellation cancellation, Attempt<T> attempt) {
    Run<T> run = new Run<>(request, routed, decisionId, cancellation, attempt, chain, calls);
    run.tryModel(0, 0);
    return run.result.future();
  }

  /** The route's chain: the chosen model, then its fallbacks. */
  List<ModelConfig> chain(Routed routed) {
    List<ModelConfig> chain = new ArrayList<>();
    chain.add(routed.model());
    routed.decision().fallbacks().forEach(id -> chain.add(config.models().get(id)));
    return chain;
  }

  /** The state of one request's tries. */
  private final class Run<T> {
    final ChatRequest request;
    final Routed routed;
    final String decisionId;
    final Cancellation cancellation;
    final Attempt<T> attempt;
    final List<ModelConfig> chain;
    final Promise<T> result = Promise.promise();
    final long deadlineNanos;
    final long inputTokens;
    final long outputTokens;
    final AtomicInteger attempts;
    ApiError lastError;
    long limitedRetryMillis = Long.MAX_VALUE;

    Run(ChatRequest request, Routed routed, String decisionId, Cancellation cancellation, Attempt<T> attempt,
        List<ModelConfig> chain, AtomicInteger attempts) {
      this.request = request;
      this.routed = routed;
      this.decisionId = decisionId;
      this.cancellation = cancellation;
      this.attempt = attempt;
      this.chain = chain;
      this.attempts = attempts;
      this.deadlineNanos = System.nanoTime() + resilience.deadlineMillis() * 1_000_000;
      this.inputTokens = routed.classification().features().promptTokens();
      this.outputTokens = routed.decision().estimatedOutputTokens();
    }

    void tryModel(int index, int tries) {
      if (cancellation.cancelled()) {
        result.tryFail(UpstreamCall.CLIENT_CLOSED.exception());
        return;
      }
      if (index >= chain.size()) {
        result.tryFail(finalError().exception());
        return;
      }
      ModelConfig model = chain.get(index);
      if (index > 0 && tries == 0) {
        ModelConfig previous = chain.get(index - 1);
        meters.fallback(previous.id(), previous.provider());
      }
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        lastError = UpstreamFailures.timeout(config.providerOf(model), UpstreamFailures.DEADLINE);
        result.tryFail(lastError.exception());
        return;
      }
      CircuitBreaker breaker = guards.breakers().of(model);
      if (breaker.state() == CircuitBreakerState.OPEN) {
        tryModel(index + 1, 0);
        return;
      }
      ProviderConfig provider = config.providerOf(model);
      KeyPool pool = guards.keyPools().get(provider.name());
      KeyPool.Lease lease = null;
      if (!pool.keyless()) {
        lease = pool.acquire(model.id());
        if (lease == null) {
          if (provider.keyMissing()) {
            lastError = new ApiError(503, ApiError.API_ERROR, UpstreamFailures.KEY_MISSING, null,
              "The provider '" + provider.name() + "' has no API key: set " + provider.keySource(), 0);
          } else {
            noteLimited(pool.nextAvailableInMillis(model.id()), model, "key");
          }
          tryModel(index + 1, 0);
          return;
        }
      }
      KeyPool.Lease leased = lease;
      admit(model, leased).onComplete(admitted -> {
        if (admitted.failed() || admitted.result() == null) {
          if (leased != null) {
            leased.release();
          }
          tryModel(index + 1, 0);
        } else {
          call(index, tries, model, leased, admitted.result(), breaker, remainingMillis);
        }
      });
    }

    /** Takes the model's and the key's rate-limit permits; null (and nothing taken) when either is exhausted. */
    Future<List<Permit>> admit(ModelConfig model, KeyPool.Lease lease) {
      Limits keyLimits = lease == null ? Limits.NONE : lease.key().limits();
      if (model.limits().unlimited() && keyLimits.unlimited()) {
        return Future.succeededFuture(List.of());
      }
      return guards.limiter().acquire("model:" + model.id(), model.limits(), inputTokens, outputTokens)
        .compose(forModel -> {
          if (!(forModel instanceof Admission.Granted modelGrant)) {
            noteLimited(((Admission.Denied) forModel).retryAfterMillis(), model, "model");
            return Future.succeededFuture(null);
          }
          if (keyLimits.unlimited()) {
            return Future.succeededFuture(List.of(modelGrant.permit()));
          }
          String scope = "key:" + model.provider() + ":" + lease.key().label();
          return guards.limiter().acquire(scope, keyLimits, inputTokens, outputTokens).map(forKey -> {
            if (forKey instanceof Admission.Granted keyGrant) {
              return List.of(modelGrant.permit(), keyGrant.permit());
            }
            modelGrant.permit().refund();
            noteLimited(((Admission.Denied) forKey).retryAfterMillis(), model, "key");
            return null;
          });
        });
    }

    void call(int index, int tries, ModelConfig model, KeyPool.Lease lease, List<Permit> permits,
              CircuitBreaker breaker, long remainingMillis) {
      ProviderConfig provider = config.providerOf(model);
      boolean deadlineFirst = remainingMillis < provider.firstByteTimeoutMillis();
      long headLimit = deadlineFirst ? remainingMillis : provider.firstByteTimeoutMillis();
      String headTimeout = deadlineFirst ? UpstreamFailures.DEADLINE : UpstreamFailures.FIRST_BYTE_TIMEOUT;
      UpstreamCall[] started = new UpstreamCall[1];
      breaker.<HttpClientResponse>execute(() -> {
        UpstreamCall call = executor.start(request, model, attempts.incrementAndGet(), lease, permits, headLimit,
          headTimeout, ended -> accountant.attempt(decisionId, ended));
        started[0] = call;
        cancellation.onCancel(call::cancel);
        return call.response();
      }).onComplete(head -> {
        UpstreamCall call = started[0];
        if (call == null) {
          // the breaker opened, or its one half-open probe is taken: nothing was sent
          if (lease != null) {
            lease.release();
          }
          permits.forEach(Permit::refund);
          tryModel(index + 1, 0);
          return;
        }
        Future<T> answered = head.succeeded()
          ? attempt.proceed(routed.servedBy(model), call, head.result())
          : Future.failedFuture(head.cause());
        answered.onComplete(done -> {
          if (done.succeeded()) {
            result.tryComplete(done.result());
          } else {
            failed(index, tries, call, done.cause());
          }
        });
      });
    }

    void failed(int index, int tries, UpstreamCall call, Throwable cause) {
      ApiError error = cause instanceof ApiException api ? api.error() : call.failure(cause, UpstreamFailures.IDLE_TIMEOUT);
      call.end(Usage.NONE, UpstreamFailures.outcome(error));
      if (call.cancelled() || cancellation.cancelled()) {
        result.tryFail(UpstreamCall.CLIENT_CLOSED.exception());
        return;
      }
      lastError = error;
      ModelConfig model = call.model();
      KeyPool pool = guards.keyPools().get(model.provider());
      long retryAfterMillis = error.retryAfterSeconds() * 1_000;
      switch (FailoverRule.of(error)) {
        case GIVE_UP -> result.tryFail(error.exception());
        case NEXT_MODEL -> tryModel(index + 1, 0);
        case OTHER_KEY -> {
          if (call.lease() == null) {
            tryModel(index + 1, 0);
          } else {
            pool.disable(call.lease());
            tryModel(index, tries);
          }
        }
        case RETRY -> {
          if (call.lease() != null && error.status() == 429) {
            pool.rest(call.lease(), model.id(), retryAfterMillis > 0 ? retryAfterMillis : resilience.backoffMaxMillis());
          }
          long wait = retryAfterMillis > 0 ? retryAfterMillis : Backoff.delayMillis(resilience, tries + 1);
          boolean tooLong = retryAfterMillis > resilience.retryAfterMaxMillis()
            || System.nanoTime() + wait * 1_000_000 >= deadlineNanos;
          if (tries + 1 >= resilience.maxAttempts() || tooLong) {
            tryModel(index + 1, 0);
            return;
          }
          meters.retry(model.id(), model.provider());
          long timer = vertx.setTimer(Math.max(1, wait), id -> tryModel(index, tries + 1));
          cancellation.onCancel(() -> {
            vertx.cancelTimer(timer);
            result.tryFail(UpstreamCall.CLIENT_CLOSED.exception());
          });
        }
      }
    }

    void noteLimited(long retryAfterMillis, ModelConfig model, String scope) {
      limitedRetryMillis = Math.min(limitedRetryMillis, Math.max(1, retryAfterMillis));
      meters.rateLimited(model.id(), model.provider(), scope);
    }

    /** Why the request could not be answered, once every model of its chain was tried or skipped. */
    ApiError finalError() {
      if (lastError != null) {
        return lastError;
      }
      if (limitedRetryMillis != Long.MAX_VALUE) {
        return new ApiError(429, ApiError.RATE_LIMIT, "rate_limit_exceeded", null,
          "Every model that can serve this request is at its configured rate limit; retry later",
          (limitedRetryMillis + 999) / 1_000);
      }
      return new ApiError(503, ApiError.API_ERROR, "all_deployments_unavailable", null,
        "Every model that can serve this request is failing right now (circuit breakers open); retry later",
        Math.max(1, resilience.breakerOpenMillis() / 1_000));
    }
  }
}
