package io.switchboard.execute;

import io.switchboard.auth.Caller;
import io.switchboard.budget.Budgets;
import io.switchboard.classify.TokenCounter;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.limit.Admission;
import io.switchboard.limit.Limits;
import io.switchboard.limit.Permit;
import io.switchboard.route.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The execution path shared by every front door: route a chat request, get it answered (with retries and
 * fallbacks), and account for it. Streaming front doors relay the answer themselves ({@link StreamRelay}).
 * A whole answer is quality-checked and escalated when its decision has an escalation order
 * ({@link Escalation}), and drafted then reviewed when it has a pipeline ({@link Review}).
 */
public final class ChatService {

  /**
   * A finished non-streaming chat.
   *
   * @param routed the request's routing, with the model that answered (a fallback, maybe)
   * @param ttfbNanos the answering upstream's time to its response head
   * @param attempts upstream calls made for the request, the answering one included
   * @param steps the quality check, escalations and review behind the answer
   */
  public record ChatResult(Routed routed, Completion completion, UsageRecord record, long ttfbNanos, int attempts,
                           AnswerSteps steps) {
  }

  /**
   * A pipeline whose review was streamed: the reviewer's stream ({@code review}), or null when the draft is to be
   * returned instead (the reviewer could not answer, or the draft called tools).
   *
   * @param attempts upstream calls made for the request so far
   */
  public record StreamedReview<T>(Answer draft, T review, int attempts) {
  }

  private final GatewayConfig config;
  private final Dispatcher dispatcher;
  private final Executor executor;
  private final Failover failover;
  private final Accountant accountant;
  private final CallGuards guards;
  private final Escalation escalation;

  public ChatService(GatewayConfig config, Dispatcher dispatcher, Executor executor, Failover failover,
                     Accountant accountant, CallGuards guards) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.failover = failover;
    this.accountant = accountant;
    this.guards = guards;
    this.escalation = new Escalation(config, new QualityCheck(config.escalation()), accountant);
  }

  /** Routes a request of {@code caller}; see {@link Dispatcher#dispatch(ChatRequest, Caller, String)}. */
  public Future<Routed> route(ChatRequest request, Caller caller, String decisionId) {
    return dispatcher.dispatch(request, caller, decisionId);
  }

  /** Gets {@code request} answered by its model or a fallback; see {@link Failover}. */
  public <T> Future<T> execute(Caller caller, ChatRequest client, Routed routed, String decisionId,
                               Cancellation cancellation, Failover.Attempt<T> attempt) {
    return dispatcher.context().fitted(client, routed).compose(request -> admit(caller, request, routed, decisionId)
      .compose(admission -> {
        accountant.hold(decisionId, admission);
        return failover.run(request, routed, decisionId, cancellation, attempt);
      }));
  }

  /**
   * Whether a stream of {@code routed} is answered whole, checked, and then replayed ({@code escalation.streams:
   * buffered} and an escalation order), rather than relayed as it comes.
   */
  public boolean buffersStream(Routed routed) {
    return config.escalation().bufferedStreams() && !routed.decision().escalation().isEmpty()
      && routed.decision().pipeline() == null;
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
    return route(request, caller, requestId).compose(routed -> complete(caller, request, routed, requestId, startNanos, cancellation));
  }

  /**
   * Gets a routed request a whole answer, checked and escalated or drafted and reviewed as its decision says, and
   * records its usage (or its failure) once. A streaming request is asked upstream as a whole one.
   */
  public Future<ChatResult> complete(Caller caller, ChatRequest request, Routed routed, String requestId,
                                     long startNanos, Cancellation cancellation) {
    return dispatcher.context().fitted(request, routed)
      .compose(fitted -> completeFitted(caller, fitted, routed, requestId, startNanos, cancellation));
  }

  /** {@link #complete} of a request already fitted to its policy's context budget. */
  private Future<ChatResult> completeFitted(Caller caller, ChatRequest request, Routed routed, String requestId,
                                            long startNanos, Cancellation cancellation) {
    ChatRequest whole = whole(request);
    AtomicInteger calls = new AtomicInteger();
    return admit(caller, whole, routed, requestId)
      .compose(admission -> {
        accountant.hold(requestId, admission);
        return answer(whole, routed, requestId, calls, cancellation);
      })
      .map(done -> {
        Answer answer = done.answer();
        long overhead = System.nanoTime() - startNanos - done.upstreamNanos();
        UsageRecord record = accountant.record(requestId, answer.servedBy(), answer.completion().usage(), Outcome.OK,
          request.stream(), startNanos, answer.headLatencyNanos(), overhead);
        Routed servedBy = answer.servedBy();
        Routed explained = done.steps().reason(servedBy.model().id())
          .map(reason -> new Routed(servedBy.classification(), servedBy.decision().withReason(reason),
            servedBy.model()))
          .orElse(servedBy);
        return new ChatResult(explained, answer.completion(), record, answer.headLatencyNanos(), calls.get(),
          done.steps());
      })
      .onFailure(failure -> recordFailure(requestId, routed, failure, request.stream(), startNanos));
  }

  private Future<Answered> answer(ChatRequest request, Routed routed, String decisionId, AtomicInteger calls,
                                  Cancellation cancellation) {
    long promptTokens = routed.classification().features().promptTokens();
    Future<Answer> first = ask(request, routed, failover.chain(routed), decisionId, calls, cancellation, promptTokens);
    Pipeline pipeline = routed.decision().pipeline();
    if (pipeline != null) {
      return first.compose(draft -> review(request, routed, pipeline, draft, decisionId, calls, cancellation));
    }
    if (routed.decision().escalation().isEmpty()) {
      return first.map(answer -> new Answered(answer, AnswerSteps.NONE, answer.upstreamNanos()));
    }
    return first.compose(answer -> escalation.run(request, decisionId, answer, cancellation,
      model -> ask(request, routed, List.of(model), decisionId, calls, cancellation, promptTokens)));
  }

  /** Asks the reviewer of a pipeline; the draft is returned when the reviewer cannot answer. */
  private Future<Answered> review(ChatRequest request, Routed routed, Pipeline pipeline, Answer draft,
                                  String decisionId, AtomicInteger calls, Cancellation cancellation) {
    String draftModel = draft.servedBy().model().id();
    Optional<ChatRequest> review = Review.request(request, pipeline, draft.completion());
    if (review.isEmpty()) {
      return Future.succeededFuture(new Answered(draft,
        AnswerSteps.pipeline(AnswerSteps.PipelineStep.UNREVIEWED, draftModel), draft.upstreamNanos()));
    }
    long promptTokens = draft.completion().usage().promptTokens() + draft.completion().usage().completionTokens()
      + TokenCounter.count(pipeline.reviewPrompt()) + 2L * TokenCounter.PER_MESSAGE_OVERHEAD;
    return ask(review.get(), routed, reviewers(pipeline), decisionId, calls, cancellation, promptTokens)
      .map(reviewed -> {
        accountant.charge(decisionId, draft);
        return new Answered(reviewed, AnswerSteps.pipeline(AnswerSteps.PipelineStep.REVIEWED, draftModel),
          draft.upstreamNanos() + reviewed.upstreamNanos());
      })
      .recover(failure -> {
        if (cancellation.cancelled()) {
          accountant.charge(decisionId, draft);
          return Future.failedFuture(failure);
        }
        return Future.succeededFuture(new Answered(draft,
          AnswerSteps.pipeline(AnswerSteps.PipelineStep.UNREVIEWED, draftModel), draft.upstreamNanos()));
      });
  }

  /**
   * A pipeline for a streaming client: the draft is asked as a whole answer, then the reviewer's answer is
   * streamed by {@code reviewing} (built once the draft is known). The draft is charged to the request once the
   * reviewer answered; when it cannot, the result carries the draft alone, to be returned as it is.
   */
  public <T> Future<StreamedReview<T>> streamReview(Caller caller, ChatRequest client, Routed routed,
                                                    String decisionId, Cancellation cancellation,
                                                    Function<Answer, Failover.Attempt<T>> reviewing) {
    return dispatcher.context().fitted(client, routed)
      .compose(request -> streamReviewFitted(caller, request, routed, decisionId, cancellation, reviewing));
  }

  /** {@link #streamReview} of a request already fitted to its policy's context budget. */
  private <T> Future<StreamedReview<T>> streamReviewFitted(Caller caller, ChatRequest request, Routed routed,
                                                           String decisionId, Cancellation cancellation,
                                                           Function<Answer, Failover.Attempt<T>> reviewing) {
    Pipeline pipeline = routed.decision().pipeline();
    ChatRequest whole = whole(request);
    AtomicInteger calls = new AtomicInteger();
    long promptTokens = routed.classification().features().promptTokens();
    return admit(caller, whole, routed, decisionId)
      .compose(admission -> {
        accountant.hold(decisionId, admission);
        return ask(whole, routed, failover.chain(routed), decisionId, calls, cancellation, promptTokens);
      })
      .compose(draft -> {
        Optional<ChatRequest> review = Review.request(request, pipeline, draft.completion());
        if (review.isEmpty()) {
          return Future.succeededFuture(new StreamedReview<T>(draft, null, calls.get()));
        }
        return failover.run(review.get(), routed, reviewers(pipeline), decisionId, calls, cancellation,
            reviewing.apply(draft))
          .map(streamed -> {
            accountant.charge(decisionId, draft);
            return new StreamedReview<>(draft, streamed, calls.get());
          })
          .recover(failure -> {
            if (cancellation.cancelled()) {
              accountant.charge(decisionId, draft);
              return Future.failedFuture(failure);
            }
            return Future.succeededFuture(new StreamedReview<T>(draft, null, calls.get()));
          });
      });
  }

  /** Asks {@code chain} for a whole answer (through {@link Failover}) and reads it. */
  private Future<Answer> ask(ChatRequest request, Routed routed, List<ModelConfig> chain, String decisionId,
                             AtomicInteger calls, Cancellation cancellation, long promptTokens) {
    return failover.run(request, routed, chain, decisionId, calls, cancellation, (servedBy, call, response) ->
      executor.readCompletion(call, response, promptTokens).map(completion -> {
        call.markFinished();
        call.end(completion.usage(), "ok");
        return new Answer(servedBy, completion, call.headLatencyNanos(),
          completion.upstreamEndNanos() - call.startedNanos());
      }));
  }

  /** The reviewer, then its own fallbacks. */
  private List<ModelConfig> reviewers(Pipeline pipeline) {
    List<ModelConfig> chain = new ArrayList<>();
    ModelConfig reviewer = config.models().get(pipeline.reviewer());
    chain.add(reviewer);
    reviewer.fallbacks().forEach(id -> chain.add(config.models().get(id)));
    return chain;
  }

  /** The request as a whole-answer one: a stream's flags taken out, so the upstream answers in one piece. */
  private static ChatRequest whole(ChatRequest request) {
    if (!request.stream()) {
      return request;
    }
    JsonObject body = request.body().copy();
    body.remove("stream");
    body.remove("stream_options");
    return new ChatRequest(body, request.model(), request.messages(), false, false, request.maxOutputTokens(),
      request.toolsPresent(), request.toolsChars(), request.bodyBytes(), request.options(), request.anthropicHeaders(),
      request.anthropic());
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
