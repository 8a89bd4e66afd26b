package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cache.SseReplay;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Answer;
import io.switchboard.execute.AnswerSteps;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Failover;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions}: answer from the response cache, or route, call the upstream, and answer as
 * JSON or as an SSE relay, with the model, decision and cost in {@code x-switchboard-*} headers (streams: in a
 * final SSE comment). The flow is the one every front door shares ({@link FrontDoorFlow}); a stream that is checked
 * or reviewed before the client sees it is served here.
 */
final class ChatCompletionsHandler {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final ResponseCaching caching;
  private final FrontDoorFlow flow;

  ChatCompletionsHandler(ChatService service, GatewayMeters meters, AccessLog accessLog, ResponseCaching caching) {
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
    this.caching = caching;
    this.flow = new FrontDoorFlow(service, meters, accessLog, caching);
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ChatRequest request = ChatRequests.of(ctx);
    flow.serve(ctx, Caller.of(ctx).tenant(), request, request.stream(), start, new Door(ctx, request, start));
  }

  /** The chat dialect: the upstream's own chunks and bodies, OpenAI-shaped, with {@code [DONE]} last. */
  private final class Door implements FrontDoor, StreamTry {

    private final RoutingContext ctx;
    private final ChatRequest request;
    private final long start;

    Door(RoutingContext ctx, ChatRequest request, long start) {
      this.ctx = ctx;
      this.request = request;
      this.start = start;
    }

    @Override
    public Future<Buffer> replayed(CachedAnswer answer, UsageRecord record, boolean stream) {
      return Future.succeededFuture(stream
        ? SseReplay.events(answer.completion().toJsonObject(), request.clientWantsUsage())
          .appendBuffer(SwitchboardHeaders.costComment(record)).appendBuffer(DONE)
        : answer.completion());
    }

    @Override
    public Future<Buffer> answered(ChatService.ChatResult result) {
      return Future.succeededFuture(result.completion().body());
    }

    @Override
    public StreamTry streamTry(Routed servedBy, UpstreamCall call) {
      return this;
    }

    @Override
    public boolean tookOver(Routed routed, CacheLookup lookup) {
      if (routed.decision().pipeline() != null) {
        reviewed(ctx, request, routed, lookup, start, this);
        return true;
      }
      if (service.buffersStream(routed)) {
        buffered(ctx, request, routed, lookup, start);
        return true;
      }
      return false;
    }

    @Override
    public StreamRelay.Transform transform() {
      return null;
    }

    @Override
    public boolean clientWantsUsage() {
      return request.clientWantsUsage();
    }

    @Override
    public Future<Buffer> finished(HttpServerResponse response, StreamRelay relay, Usage usage, Buffer costComment) {
      response.write(costComment);
      return Future.succeededFuture(DONE);
    }

    @Override
    public Buffer cut(ApiError error) {
      return error.toSseEvent();
    }
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
        SwitchboardHeaders.decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        SwitchboardHeaders.stepHeaders(response, result.steps());
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
  private void reviewed(RoutingContext ctx, ChatRequest request, Routed routed, CacheLookup lookup, long start,
                        FrontDoor door) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    response.exceptionHandler(e -> cancellation.cancel());
    service.streamReview(Caller.of(ctx), request, routed, requestId, cancellation, draft -> {
        Failover.Attempt<FrontDoorFlow.Relayed> relay = flow.relay(ctx, lookup, requestId, cancellation, door);
        return (servedBy, call, upstream) -> {
          SwitchboardHeaders.stepHeaders(response,
            AnswerSteps.pipeline(AnswerSteps.PipelineStep.REVIEWED, draft.servedBy().model().id()));
          return relay.proceed(servedBy, call, upstream);
        };
      })
      .onSuccess(review -> {
        if (review.review() != null) {
          flow.relayed(ctx, lookup, review.review(), start);
          return;
        }
        Answer draft = review.draft();
        Routed servedBy = draft.servedBy();
        long overhead = System.nanoTime() - start - draft.upstreamNanos();
        UsageRecord record = service.accountant().record(requestId, servedBy, draft.completion().usage(), Outcome.OK,
          true, start, draft.headLatencyNanos(), overhead);
        SwitchboardHeaders.decisionHeaders(response, servedBy, requestId, review.attempts());
        SwitchboardHeaders.stepHeaders(response,
          AnswerSteps.pipeline(AnswerSteps.PipelineStep.UNREVIEWED, servedBy.model().id()));
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
      .end(SseReplay.events(completion, request.clientWantsUsage())
        .appendBuffer(SwitchboardHeaders.costComment(record)).appendBuffer(DONE));
  }
}
