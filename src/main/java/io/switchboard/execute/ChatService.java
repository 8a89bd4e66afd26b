package io.switchboard.execute;

import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;

import java.util.function.Consumer;

/**
 * The execution path shared by every front door: route a chat request, call the upstream, and account for
 * the call. Streaming front doors take the opened call and relay it themselves ({@link StreamRelay}).
 */
public final class ChatService {

  /** A finished non-streaming chat; {@code ttfbNanos} is the upstream's time to its response head. */
  public record ChatResult(Routed routed, Completion completion, UsageRecord record, long ttfbNanos) {
  }

  private final Dispatcher dispatcher;
  private final Executor executor;
  private final Accountant accountant;

  public ChatService(Dispatcher dispatcher, Executor executor, Accountant accountant) {
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.accountant = accountant;
  }

  public Future<Routed> route(ChatRequest request) {
    return dispatcher.dispatch(request);
  }

  public UpstreamCall call(ChatRequest request, Routed routed) {
    return executor.start(request, routed.model());
  }

  public Accountant accountant() {
    return accountant;
  }

  /**
   * Routes, calls and reads a whole answer, recording its usage (or its failure) once.
   *
   * @param onCall receives the upstream call as soon as it starts, so the caller can cancel it
   */
  public Future<ChatResult> complete(ChatRequest request, String requestId, long startNanos,
                                     Consumer<UpstreamCall> onCall) {
    return route(request).compose(routed -> {
      UpstreamCall call = call(request, routed);
      onCall.accept(call);
      long promptTokens = routed.classification().features().promptTokens();
      return call.response()
        .compose(response -> executor.readCompletion(call, response, promptTokens))
        .map(completion -> {
          call.markFinished();
          long overhead = (call.startedNanos() - startNanos) + (System.nanoTime() - completion.upstreamEndNanos());
          UsageRecord record = accountant.record(requestId, routed, completion.usage(), Outcome.OK, false, startNanos,
            call.headLatencyNanos(), overhead);
          return new ChatResult(routed, completion, record, call.headLatencyNanos());
        })
        .onFailure(failure -> recordFailure(requestId, routed, call, failure, false, startNanos));
    });
  }

  /** Records a call that ended without an answer: zero usage, and the reason as its outcome. */
  public void recordFailure(String decisionId, Routed routed, UpstreamCall call, Throwable failure, boolean streaming,
                            long startNanos) {
    Outcome outcome = call.cancelled() ? Outcome.CLIENT_CLOSED : outcomeOf(failure);
    accountant.record(decisionId, routed, Usage.NONE, outcome, streaming, startNanos, 0,
      call.startedNanos() - startNanos);
  }

  private static Outcome outcomeOf(Throwable failure) {
    if (failure instanceof ApiException api) {
      ApiError error = api.error();
      if (error.status() == 504) {
        return Outcome.TIMEOUT;
      }
      return error.status() < 500 && !"upstream_rate_limited".equals(error.code()) ? Outcome.CLIENT_ERROR
        : Outcome.UPSTREAM_ERROR;
    }
    return Outcome.UPSTREAM_ERROR;
  }
}
