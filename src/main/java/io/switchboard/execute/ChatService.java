package io.switchboard.execute;

import io.switchboard.auth.Caller;
import io.switchboard.budget.Budgets;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.limit.Admission;
import io.switchboard.limit.Limits;
import io.switchboard.limit.Permit;
import io.vertx.core.Future;

import java.util.Locale;

/**
 * The execution path shared by every front door: route a chat request, get it answered (with retries and
 * fallbacks), and account for it. Streaming front doors relay the answer themselves ({@link StreamRelay}).
 */
public final class ChatService {

  /**
   * A finished non-streaming chat.
   *
   * @param routed the request's routing, with the model that answered (a fallback, maybe)
   * @param ttfbNanos the answering upstream's time to its response head
   * @param attempts upstream calls made for the request, the answering one included
   */
  public record ChatResult(Routed routed, Completion completion, UsageRecord record, long ttfbNanos, int attempts) {
  }

  private final Dispatcher dispatcher;
  private final Executor executor;
  private final Failover failover;
  private final Accountant accountant;
  private final CallGuards guards;

  public ChatService(Dispatcher dispatcher, Executor executor, Failover failover, Accountant accountant,
                     CallGuards guards) {
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.failover = failover;
    this.accountant = accountant;
    this.guards = guards;
  }

  /** Routes a request of {@code caller}; see {@link Dispatcher#dispatch(ChatRequest, Caller, String)}. */
  public Future<Routed> route(ChatRequest request, Caller caller, String decisionId) {
    return dispatcher.dispatch(request, caller, decisionId);
  }

  /** Gets {@code request} answered by its model or a fallback; see {@link Failover}. */
  public <T> Future<T> execute(Caller caller, ChatRequest request, Routed routed, String decisionId,
                               Cancellation cancellation, Failover.Attempt<T> attempt) {
    return admit(caller, request, routed, decisionId)
      .compose(admission -> {
        accountant.hold(decisionId, admission);
        return failover.run(request, routed, decisionId, cancellation, attempt);
      });
  }

  /** Takes the caller's rate-limit permit, then reserves the request's worst-case cost on its budgets. */
  private Future<CallerAdmission> admit(Caller caller, ChatRequest request, Routed routed, String decisionId) {
    Limits limits = caller.limits();
    Future<Permit> permit = limits.unlimited()
      ? Future.succeededFuture(Permit.NONE)
      : guards.limiter().acquire("vkey:" + caller.keyId(), limits, routed.classification().features().promptTokens(),
          routed.decision().estimatedOutputTokens())
        .compose(admission -> admission instanceof Admission.Granted granted
          ? Future.succeededFuture(granted.permit())
          : Future.failedFuture(keyLimited((Admission.Denied) admission).exception()));
    return permit.compose(granted -> guards.budgets().reserve(caller, request, routed, decisionId)
      .map(hold -> new CallerAdmission(hold, granted))
      .onFailure(refused -> granted.refund()));
  }

  private static ApiError keyLimited(Admission.Denied denied) {
    return new ApiError(429, ApiError.RATE_LIMIT, "rate_limit_exceeded", null,
      "This API key is at its limit of " + denied.dimension().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + " per minute; retry later",
      (denied.retryAfterMillis() + 999) / 1_000);
  }

  public Accountant accountant() {
    return accountant;
  }

  /** Routes, calls and reads a whole answer, recording its usage (or its failure) once. */
  public Future<ChatResult> complete(Caller caller, ChatRequest request, String requestId, long startNanos,
                                     Cancellation cancellation) {
    return route(request, caller, requestId).compose(routed -> {
      long promptTokens = routed.classification().features().promptTokens();
      return execute(caller, request, routed, requestId, cancellation, (servedBy, call, response) ->
        executor.readCompletion(call, response, promptTokens).map(completion -> {
          call.markFinished();
          call.end(completion.usage(), "ok");
          long overhead = (call.startedNanos() - startNanos) + (System.nanoTime() - completion.upstreamEndNanos());
          UsageRecord record = accountant.record(requestId, servedBy, completion.usage(), Outcome.OK, false, startNanos,
            call.headLatencyNanos(), overhead);
          return new ChatResult(servedBy, completion, record, call.headLatencyNanos(), call.attempt());
        }))
        .onFailure(failure -> recordFailure(requestId, routed, failure, false, startNanos));
    });
  }

  /** Records a request that ended without an answer: zero usage, and the reason as its outcome. */
  public void recordFailure(String decisionId, Routed routed, Throwable failure, boolean streaming, long startNanos) {
    accountant.record(decisionId, routed, Usage.NONE, outcomeOf(failure), streaming, startNanos, 0, 0);
  }

  private static Outcome outcomeOf(Throwable failure) {
    if (failure instanceof ApiException api) {
      ApiError error = api.error();
      if (error == UpstreamCall.CLIENT_CLOSED) {
        return Outcome.CLIENT_CLOSED;
      }
      if (error.code().equals(Budgets.EXCEEDED)) {
        return Outcome.CLIENT_ERROR;
      }
      if (error.status() == 504) {
        return Outcome.TIMEOUT;
      }
      return error.status() < 500 && error.status() != 429 ? Outcome.CLIENT_ERROR : Outcome.UPSTREAM_ERROR;
    }
    return Outcome.UPSTREAM_ERROR;
  }
}
