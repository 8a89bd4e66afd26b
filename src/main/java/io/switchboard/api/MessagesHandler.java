package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.anthropic.AnthropicErrors;
import io.switchboard.anthropic.MessageResponse;
import io.switchboard.anthropic.MessagesRequest;
import io.switchboard.anthropic.PromptTokens;
import io.switchboard.anthropic.StreamTranslation;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cache.StreamAssembler;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Completion;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, the Anthropic Messages front door: the
 * request is translated into the internal OpenAI chat request ({@link MessagesRequest}) and served on the same path
 * as chat completions (cache, routing, budgets, retries and fallbacks, accounting), and the answer translated back:
 * a message as JSON, or Anthropic's event stream built chunk by chunk by the relay ({@link StreamTranslation}). The
 * {@code x-switchboard-*} headers are those of the chat endpoint; a stream's cost goes in an SSE comment just before
 * {@code message_stop}. A call that an Anthropic upstream serves takes the same-dialect path instead (the client's
 * own body goes upstream, see {@code AnthropicPassthroughDialect}): its answer is relayed as received, JSON bytes
 * or events, and nothing is translated back. Which path a call took is known only once failover picked its model:
 * {@link UpstreamCall#sameDialect()} for a stream, {@code Completion.sameDialect()} for a whole answer.
 */
final class MessagesHandler {

  private static final Logger LOG = LoggerFactory.getLogger(MessagesHandler.class);
  /** Ends a same-dialect stream whose upstream stopped after its last delta without one. */
  private static final Buffer MESSAGE_STOP =
    Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  private final GatewayConfig config;
  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final ResponseCaching caching;

  MessagesHandler(GatewayConfig config, ChatService service, GatewayMeters meters, AccessLog accessLog,
                  ResponseCaching caching) {
    this.config = config;
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
    this.caching = caching;
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    MessagesRequest translated = MessagesRequest.parse(Bodies.of(ctx), ctx.request().headers());
    if (!translated.dropped().isEmpty() && LOG.isDebugEnabled()) {
      LOG.debug("request {}: left out of the OpenAI chat form: {}", RequestIds.of(ctx), translated.droppedSummary());
    }
    ChatRequest request = translated.chat();
    caching.lookup(Caller.of(ctx).tenant(), request, ctx.request().headers()).onSuccess(lookup -> {
      if (ctx.response().closed()) {
        return;
      }
      if (lookup.status() != CacheLookup.Status.OFF) {
        ctx.response().putHeader(ResponseCaching.HEADER, lookup.status().wireName());
      }
      try {
        if (lookup.answer().isPresent()) {
          replay(ctx, translated, lookup.answer().get(), start);
        } else if (request.stream()) {
          stream(ctx, translated, lookup, start);
        } else {
          json(ctx, translated, lookup, start);
        }
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    }).onFailure(ctx::fail);
  }

  /** {@code count_tokens}: the prompt tokens of the translated request, counted here; nothing is routed or called. */
  void countTokens(RoutingContext ctx) {
    MessagesRequest translated = MessagesRequest.parseCount(Bodies.of(ctx), ctx.request().headers());
    String model = translated.chat().model();
    if (!known(model)) {
      throw new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model",
        "Unknown model '" + model.replaceAll("\\p{Cntrl}", "?") + "': not a model, alias or policy of this gateway", 0)
        .exception();
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("input_tokens", PromptTokens.of(translated.chat())).toBuffer());
  }

  private boolean known(String model) {
    return model.equals("auto") || config.models().containsKey(model) || config.aliases().containsKey(model)
      || config.routing().policies().containsKey(model);
  }

  private void replay(RoutingContext ctx, MessagesRequest translated, CachedAnswer answer, long start) {
    HttpServerResponse response = ctx.response();
    String decisionId = RequestIds.decision(ctx);
    boolean stream = translated.chat().stream();
    UsageRecord record = service.accountant().cacheHit(decisionId, answer.policy(), answer.model(), answer.taskType(),
      answer.complexity(), answer.usage(), stream, start);
    ChatCompletionsHandler.decisionHeaders(response, answer.model(), answer.taskType(), answer.policy(), decisionId, 0);
    JsonObject message = MessageResponse.of(answer.completion().toJsonObject(), answer.usage(),
      translated.stopSequences());
    if (stream) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(StreamTranslation.replay(message, ChatCompletionsHandler.costComment(record)));
    } else {
      ChatCompletionsHandler.costHeaders(response, record)
        .putHeader(ChatCompletionsHandler.ESTIMATED_HEADER, Boolean.toString(answer.usage().estimated()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(message.toBuffer());
    }
    accessLog.served(ctx, 200, record);
  }

  private void json(RoutingContext ctx, MessagesRequest translated, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.complete(Caller.of(ctx), translated.chat(), RequestIds.decision(ctx), start, cancellation)
      .onSuccess(result -> {
        UsageRecord record = result.record();
        ChatCompletionsHandler.decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        Completion completion = result.completion();
        ChatCompletionsHandler.costHeaders(response, record)
          .putHeader(ChatCompletionsHandler.ESTIMATED_HEADER, Boolean.toString(record.usage().estimated()))
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(completion.sameDialect() ? completion.body()
            : MessageResponse.of(completion.json(), completion.usage(), translated.stopSequences()).toBuffer());
        meters.overhead(record.model(), record.provider(), false, record.overheadMicros() * 1_000);
        meters.upstreamTtfb(record.model(), record.provider(), result.ttfbNanos());
        accessLog.served(ctx, 200, record);
        caching.store(lookup, result);
      })
      .onFailure(ctx::fail);
  }

  /**
   * A stream relayed to its end (or cut after it started), by the call that served it.
   *
   * @param translation what built the client's events; null on the same-dialect path (the upstream's own events)
   */
  private record Relayed(Routed routed, UpstreamCall call, StreamRelay relay, StreamRelay.Result result,
                         StreamTranslation translation, Optional<StreamAssembler> assembler) {
  }

  private void stream(RoutingContext ctx, MessagesRequest translated, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    ChatRequest request = translated.chat();
    service.route(request, Caller.of(ctx), requestId).onComplete(routedResult -> {
      if (routedResult.failed()) {
        ctx.fail(routedResult.cause());
        return;
      }
      Routed routed = routedResult.result();
      Cancellation cancellation = new Cancellation();
      response.closeHandler(v -> cancellation.cancel());
      response.exceptionHandler(e -> cancellation.cancel());
      service.execute(Caller.of(ctx), request, routed, requestId, cancellation, (servedBy, call, upstream) -> {
          response.setChunked(true)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
          ChatCompletionsHandler.decisionHeaders(response, servedBy, requestId, call.attempt());
          // each try gets its own translation: a failed one sent nothing, so the next starts the message afresh
          StreamTranslation translation = call.sameDialect() ? null : new StreamTranslation(translated.stopSequences(),
            routed.classification().features().promptTokens(), "msg_" + requestId.replace("req_", ""));
          StreamRelay relay = new StreamRelay(ctx.vertx(), call, upstream, response, false);
          if (translation != null) {
            relay.transform(translation);
          }
          cancellation.onCancel(relay::clientGone);
          Optional<StreamAssembler> assembler = caching.assembler(lookup);
          assembler.ifPresent(a -> relay.observeChunks(a::add));
          return relay.run().compose(result -> result.end() == StreamRelay.End.CUT && !result.bytesSent()
            ? Future.failedFuture(result.error().exception())
            : Future.succeededFuture(new Relayed(servedBy, call, relay, result, translation, assembler)));
        })
        .onSuccess(relayed -> {
          finish(ctx, relayed, start);
          StreamRelay.End end = relayed.result().end();
          if (end == StreamRelay.End.DONE || end == StreamRelay.End.FINISHED) {
            relayed.assembler().ifPresent(a -> caching.store(lookup, relayed.routed(), a));
          }
        })
        .onFailure(failure -> {
          service.recordFailure(requestId, routed, failure, true, start);
          ctx.fail(failure);
        });
    });
  }

  private void finish(RoutingContext ctx, Relayed relayed, long start) {
    HttpServerResponse response = ctx.response();
    Routed routed = relayed.routed();
    UpstreamCall call = relayed.call();
    StreamRelay.Result result = relayed.result();
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
    if (relayed.translation() != null && relayed.translation().droppedFragments()) {
      LOG.debug("request {}: fragments of interleaved tool calls were left out of the stream", RequestIds.of(ctx));
    }
    switch (result.end()) {
      case DONE, FINISHED -> {
        Buffer comment = ChatCompletionsHandler.costComment(record);
        if (relayed.translation() != null) {
          response.end(relayed.translation().end(usage, comment));
        } else {
          // the upstream's message_stop (held back by the relay) follows the comment
          Buffer tail = relayed.relay().tail();
          response.end(comment.appendBuffer(tail.length() > 0 ? tail : MESSAGE_STOP));
        }
        accessLog.served(ctx, 200, record);
      }
      case CUT -> {
        response.end(AnthropicErrors.sseEvent(result.error()));
        accessLog.served(ctx, 200, record);
      }
      case CLIENT_GONE -> accessLog.served(ctx, 499, record);
    }
  }
}
