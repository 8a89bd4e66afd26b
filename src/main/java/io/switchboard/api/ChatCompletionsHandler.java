package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cache.SseReplay;
import io.switchboard.cache.StreamAssembler;
import io.switchboard.cost.Money;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.Answer;
import io.switchboard.execute.AnswerSteps;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Failover;
import io.switchboard.execute.QualityFailure;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}: answer from the response cache, or route, call the upstream, and answer as
 * JSON or as an SSE relay, with the model, decision and cost in {@code x-switchboard-*} headers (streams: in a
 * final SSE comment).
 */
final class ChatCompletionsHandler {

  static final String MODEL_HEADER = "x-switchboard-model";
  static final String DECISION_HEADER = "x-switchboard-decision-id";
  static final String TASK_HEADER = "x-switchboard-task-type";
  static final String POLICY_HEADER = "x-switchboard-policy";
  static final String COST_HEADER = "x-switchboard-cost-usd";
  static final String BASELINE_HEADER = "x-switchboard-baseline-cost-usd";
  static final String SAVINGS_HEADER = "x-switchboard-savings-usd";
  static final String ESTIMATED_HEADER = "x-switchboard-usage-estimated";
  static final String ATTEMPTS_HEADER = "x-switchboard-attempts";
  static final String REASONS_HEADER = "x-switchboard-reasons";
  static final String ESCALATIONS_HEADER = "x-switchboard-escalations";
  static final String QUALITY_HEADER = "x-switchboard-quality";
  static final String PIPELINE_HEADER = "x-switchboard-pipeline";
  static final String DRAFT_HEADER = "x-switchboard-draft-model";
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final ResponseCaching caching;

  ChatCompletionsHandler(ChatService service, GatewayMeters meters, AccessLog accessLog, ResponseCaching caching) {
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
    this.caching = caching;
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ChatRequest request = ChatRequests.of(ctx);
    caching.lookup(Caller.of(ctx).tenant(), request, ctx.request().headers()).onSuccess(lookup -> {
      if (ctx.response().closed()) {
        return;   // the client left while the cache was asked: nothing was spent, nothing is left to do
      }
      if (lookup.status() != CacheLookup.Status.OFF) {
        ctx.response().putHeader(ResponseCaching.HEADER, lookup.status().wireName());
      }
      try {
        if (lookup.answer().isPresent()) {
          replay(ctx, request, lookup.answer().get(), start);
        } else if (request.stream()) {
          stream(ctx, request, lookup, start);
        } else {
          json(ctx, request, lookup, start);
        }
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    }).onFailure(ctx::fail);
  }

  /** A hit: the cached answer as JSON, or replayed as a stream; nothing is routed or called, nothing spent. */
  private void replay(RoutingContext ctx, ChatRequest request, CachedAnswer answer, long start) {
    HttpServerResponse response = ctx.response();
    String decisionId = RequestIds.decision(ctx);
    UsageRecord record = service.accountant().cacheHit(decisionId, answer.policy(), answer.model(), answer.taskType(),
      answer.complexity(), answer.usage(), request.stream(), start);
    decisionHeaders(response, answer.model(), answer.taskType(), answer.policy(), decisionId, 0);
    if (request.stream()) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(SseReplay.events(answer.completion().toJsonObject(), request.clientWantsUsage())
          .appendBuffer(costComment(record)).appendBuffer(DONE));
    } else {
      costHeaders(response, record)
        .putHeader(ESTIMATED_HEADER, Boolean.toString(answer.usage().estimated()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(answer.completion());
    }
    accessLog.served(ctx, 200, record);
  }

  private void json(RoutingContext ctx, ChatRequest request, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.complete(Caller.of(ctx), request, RequestIds.decision(ctx), start, cancellation)
      .onSuccess(result -> {
        UsageRecord record = result.record();
        decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        stepHeaders(response, result.steps());
        costHeaders(response, record)
          .putHeader(ESTIMATED_HEADER, Boolean.toString(record.usage().estimated()))
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(result.completion().body());
        meters.overhead(record.model(), record.provider(), false, record.overheadMicros() * 1_000);
        meters.upstreamTtfb(record.model(), record.provider(), result.ttfbNanos());
        accessLog.served(ctx, 200, record);
        if (result.steps().cacheable()) {
          caching.store(lookup, result);
        }
      })
      .onFailure(ctx::fail);
  }

  /**
   * A stream whose answer is checked before the client sees it ({@code escalation.streams: buffered}): the whole
   * answer is read, escalated while it fails, and the one returned is replayed as SSE.
   */
  private void buffered(RoutingContext ctx, ChatRequest request, Routed routed, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.complete(Caller.of(ctx), request, routed, RequestIds.decision(ctx), start, cancellation)
      .onSuccess(result -> {
        UsageRecord record = result.record();
        decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        stepHeaders(response, result.steps());
        replayStream(response, request, result.completion().json(), record);
        meters.overhead(record.model(), record.provider(), true, record.overheadMicros() * 1_000);
        meters.upstreamTtfb(record.model(), record.provider(), result.ttfbNanos());
        accessLog.served(ctx, 200, record);
        if (result.steps().cacheable()) {
          caching.store(lookup, result);
        }
      })
      .onFailure(ctx::fail);
  }

  /**
   * A pipeline for a stream: the draft is read whole, then the reviewer's answer is relayed as it comes (or, when
   * the reviewer cannot answer, the draft is replayed).
   */
  private void reviewed(RoutingContext ctx, ChatRequest request, Routed routed, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    response.exceptionHandler(e -> cancellation.cancel());
    service.streamReview(Caller.of(ctx), request, routed, requestId, cancellation, draft -> {
        Failover.Attempt<Relayed> relay = relay(ctx, request, lookup, requestId, cancellation);
        return (servedBy, call, upstream) -> {
          stepHeaders(response, AnswerSteps.pipeline(AnswerSteps.PipelineStep.REVIEWED, draft.servedBy().model().id()));
          return relay.proceed(servedBy, call, upstream);
        };
      })
      .onSuccess(review -> {
        if (review.review() != null) {
          relayed(ctx, lookup, review.review(), start);
          return;
        }
        Answer draft = review.draft();
        Routed servedBy = draft.servedBy();
        long overhead = System.nanoTime() - start - draft.upstreamNanos();
        UsageRecord record = service.accountant().record(requestId, servedBy, draft.completion().usage(), Outcome.OK,
          true, start, draft.headLatencyNanos(), overhead);
        decisionHeaders(response, servedBy, requestId, review.attempts());
        stepHeaders(response, AnswerSteps.pipeline(AnswerSteps.PipelineStep.UNREVIEWED, servedBy.model().id()));
        replayStream(response, request, draft.completion().json(), record);
        meters.overhead(record.model(), record.provider(), true, overhead);
        accessLog.served(ctx, 200, record);
      })
      .onFailure(failure -> {
        service.recordFailure(requestId, routed, failure, true, start);
        ctx.fail(failure);
      });
  }

  private static void replayStream(HttpServerResponse response, ChatRequest request, JsonObject completion,
                                   UsageRecord record) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .end(SseReplay.events(completion, request.clientWantsUsage()).appendBuffer(costComment(record))
        .appendBuffer(DONE));
  }

  /** A stream relayed to its end (or cut after it started), by the call that served it, rebuilt when cacheable. */
  private record Relayed(Routed routed, UpstreamCall call, StreamRelay.Result result,
                         Optional<StreamAssembler> assembler) {
  }

  private void stream(RoutingContext ctx, ChatRequest request, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    service.route(request, Caller.of(ctx), requestId).onComplete(routedResult -> {
      if (routedResult.failed()) {
        ctx.fail(routedResult.cause());
        return;
      }
      Routed routed = routedResult.result();
      if (routed.decision().pipeline() != null) {
        reviewed(ctx, request, routed, lookup, start);
        return;
      }
      if (service.buffersStream(routed)) {
        buffered(ctx, request, routed, lookup, start);
        return;
      }
      Cancellation cancellation = new Cancellation();
      response.closeHandler(v -> cancellation.cancel());
      response.exceptionHandler(e -> cancellation.cancel());
      service.execute(Caller.of(ctx), request, routed, requestId, cancellation,
          relay(ctx, request, lookup, requestId, cancellation))
        .onSuccess(relayed -> relayed(ctx, lookup, relayed, start))
        .onFailure(failure -> {
          service.recordFailure(requestId, routed, failure, true, start);
          ctx.fail(failure);
        });
    });
  }

  /** One try of a stream: relays the upstream's events to the client; a cut before any byte lets the next try go. */
  private Failover.Attempt<Relayed> relay(RoutingContext ctx, ChatRequest request, CacheLookup lookup,
                                          String requestId, Cancellation cancellation) {
    HttpServerResponse response = ctx.response();
    return (servedBy, call, upstream) -> {
      // the head is not written yet: each try names its own model
      response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      decisionHeaders(response, servedBy, requestId, call.attempt());
      StreamRelay relay = new StreamRelay(ctx.vertx(), call, upstream, response, request.clientWantsUsage());
      cancellation.onCancel(relay::clientGone);
      Optional<StreamAssembler> assembler = caching.assembler(lookup);
      assembler.ifPresent(a -> relay.observeChunks(a::add));
      return relay.run().compose(result -> result.end() == StreamRelay.End.CUT && !result.bytesSent()
        ? Future.failedFuture(result.error().exception())
        : Future.succeededFuture(new Relayed(servedBy, call, result, assembler)));
    };
  }

  private void relayed(RoutingContext ctx, CacheLookup lookup, Relayed relayed, long start) {
    finish(ctx, relayed.routed(), relayed.call(), relayed.result(), start);
    StreamRelay.End end = relayed.result().end();
    if (end == StreamRelay.End.DONE || end == StreamRelay.End.FINISHED) {
      relayed.assembler().ifPresent(a -> caching.store(lookup, relayed.routed(), a));
    }
  }

  private void finish(RoutingContext ctx, Routed routed, UpstreamCall call, StreamRelay.Result result, long start) {
    HttpServerResponse response = ctx.response();
    Usage usage = result.usage() != null ? result.usage() : Accountant.estimated(routed, result.countedCompletionTokens());
    Outcome outcome = switch (result.end()) {
      case DONE, FINISHED -> Outcome.OK;
      case CLIENT_GONE -> Outcome.CLIENT_CLOSED;
      case CUT -> result.error().status() == 504 ? Outcome.TIMEOUT : Outcome.STREAM_CUT;
    };
    call.end(usage, switch (result.end()) {
      case DONE, FINISHED -> "ok";
      case CLIENT_GONE -> UpstreamCall.CLIENT_CLOSED.code();
      case CUT -> result.error().code();
    });
    long ttfb = result.firstByteNanos() == 0 ? 0 : result.firstByteNanos() - call.startedNanos();
    long overhead = (call.startedNanos() - start) + (System.nanoTime() - result.endNanos());
    UsageRecord record = service.accountant().record(RequestIds.decision(ctx), routed, usage, outcome, true, start, ttfb,
      overhead);
    if (ttfb > 0) {
      meters.upstreamTtfb(record.model(), record.provider(), ttfb);
    }
    meters.overhead(record.model(), record.provider(), true, overhead);
    switch (result.end()) {
      case DONE, FINISHED -> {
        response.write(costComment(record));
        response.end(DONE);
        accessLog.served(ctx, 200, record);
      }
      case CUT -> {
        response.end(result.error().toSseEvent());
        accessLog.served(ctx, 200, record);
      }
      case CLIENT_GONE -> accessLog.served(ctx, 499, record);
    }
  }

  static void decisionHeaders(HttpServerResponse response, Routed routed, String decisionId, int attempts) {
    response.putHeader(REASONS_HEADER, routed.decision().reasonsHeader());
    decisionHeaders(response, routed.model().id(), routed.classification().taskType().wireName(),
      routed.decision().policy(), decisionId, attempts);
  }

  static void decisionHeaders(HttpServerResponse response, String model, String taskType, String policy,
                              String decisionId, int attempts) {
    response.putHeader(MODEL_HEADER, model)
      .putHeader(ATTEMPTS_HEADER, Integer.toString(attempts))
      .putHeader(DECISION_HEADER, decisionId)
      .putHeader(TASK_HEADER, taskType);
    if (!policy.isEmpty()) {
      response.putHeader(POLICY_HEADER, policy);
    }
  }

  /** What the gateway did beyond one call: the quality check and its escalations, a pipeline's review. */
  private static void stepHeaders(HttpServerResponse response, AnswerSteps steps) {
    if (steps.checked()) {
      response.putHeader(ESCALATIONS_HEADER, Integer.toString(steps.escalations()))
        .putHeader(QUALITY_HEADER, steps.failure().map(QualityFailure::wireName).orElse("pass"));
    }
    if (steps.pipeline() != AnswerSteps.PipelineStep.NONE) {
      response.putHeader(PIPELINE_HEADER, steps.pipeline().wireName()).putHeader(DRAFT_HEADER, steps.draftModel());
    }
  }

  static HttpServerResponse costHeaders(HttpServerResponse response, UsageRecord record) {
    return response.putHeader(COST_HEADER, Money.usd(record.costMicros()))
      .putHeader(BASELINE_HEADER, Money.usd(record.baselineCostMicros()))
      .putHeader(SAVINGS_HEADER, Money.usd(record.savingsMicros()));
  }

  /** The final SSE comment of a stream: clients ignore it, people and tools can read the cost from it. */
  static Buffer costComment(UsageRecord record) {
    JsonObject cost = new JsonObject()
      .put("model", record.model())
      .put("prompt_tokens", record.usage().promptTokens())
      .put("completion_tokens", record.usage().completionTokens())
      .put("cost_usd", Money.usd(record.costMicros()))
      .put("baseline_cost_usd", Money.usd(record.baselineCostMicros()))
      .put("savings_usd", Money.usd(record.savingsMicros()))
      .put("estimated", record.usage().estimated());
    return Buffer.buffer(": switchboard ").appendBuffer(cost.toBuffer()).appendString("\n\n");
  }
}
