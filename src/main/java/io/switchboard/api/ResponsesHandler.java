package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cache.StreamAssembler;
import io.switchboard.cost.Outcome;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Accountant;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.switchboard.responses.ResponseObjects;
import io.switchboard.responses.ResponseStore;
import io.switchboard.responses.ResponseStream;
import io.switchboard.responses.ResponsesRequest;
import io.switchboard.responses.StoredResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}}, the OpenAI Responses front door:
 * the request, after the conversation of its {@code previous_response_id}, is translated into the internal chat
 * request ({@link ResponsesRequest}) and served on the same path as chat completions (cache, routing, budgets, retries and
 * fallbacks, accounting), and the answer translated back: a Response object, or the Responses event stream built
 * chunk by chunk by the relay ({@link ResponseStream}). A response with {@code store} (the API's default) is kept
 * for its tenant before the client gets its end, so a continuation can follow at once. The {@code x-switchboard-*}
 * headers are those of the chat endpoint; a stream's cost goes in an SSE comment just before its last event.
 */
final class ResponsesHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ResponsesHandler.class);

  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final ResponseCaching caching;
  private final ResponseStore store;

  ResponsesHandler(ChatService service, GatewayMeters meters, AccessLog accessLog, ResponseCaching caching,
                   ResponseStore store) {
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
    this.caching = caching;
    this.store = store;
  }

  /** One request on its way: what was asked, its chat form, and the ids and input of the response it makes. */
  private record Exchange(ResponsesRequest request, ChatRequest chat, String responseId, long createdAt,
                          JsonArray conversation) {

    JsonObject shell(String model) {
      return ResponseObjects.shell(request, responseId, createdAt, model);
    }
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ResponsesRequest request = ResponsesRequest.parse(Bodies.of(ctx));
    if (LOG.isDebugEnabled() && !request.dropped().isEmpty()) {
      LOG.debug("request {}: left out of the OpenAI chat form: {}{}", RequestIds.of(ctx), request.droppedSummary(),
        request.reasoningEffort() == null ? "" : " (reasoning effort '" + request.reasoningEffort().replaceAll(
          "[^A-Za-z0-9_-]", "?") + "' recorded, not sent upstream)");
    }
    String tenant = Caller.of(ctx).tenant();
    prior(tenant, request.previousResponseId()).onSuccess(prior -> {
      if (ctx.response().closed()) {
        return;
      }
      ChatRequest chat = request.chat(prior);
      chat = chat.withOptions(chat.options().withHeaders(ctx.request().headers()::get));
      Exchange exchange = new Exchange(request, chat, ResponseObjects.responseId(RequestIds.decision(ctx)),
        System.currentTimeMillis() / 1_000, request.conversation(prior));
      caching.lookup(tenant, chat, ctx.request().headers()).onSuccess(lookup -> {
        if (ctx.response().closed()) {
          return;
        }
        if (lookup.status() != CacheLookup.Status.OFF) {
          ctx.response().putHeader(ResponseCaching.HEADER, lookup.status().wireName());
        }
        try {
          if (lookup.answer().isPresent()) {
            replay(ctx, exchange, lookup.answer().get(), start);
          } else if (request.stream()) {
            stream(ctx, exchange, lookup, start);
          } else {
            json(ctx, exchange, lookup, start);
          }
        } catch (RuntimeException e) {
          ctx.fail(e);
        }
      }).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  /** {@code GET /v1/responses/{id}}: a stored response of the caller's tenant; any other id is a 404. */
  void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ResponseObjects.wellFormed(id)) {
      ctx.fail(notFound(id, null).exception());
      return;
    }
    read(Caller.of(ctx).tenant(), id).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(notFound(id, null).exception());
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(found.get().response().toBuffer());
    }).onFailure(ctx::fail);
  }

  /** {@code DELETE /v1/responses/{id}}: forgets a stored response of the caller's tenant; any other id is a 404. */
  void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ResponseObjects.wellFormed(id)) {
      ctx.fail(notFound(id, null).exception());
      return;
    }
    store.delete(Caller.of(ctx).tenant(), id)
      .recover(failure -> Future.failedFuture(unavailable(failure).exception()))
      .onSuccess(deleted -> {
        if (!deleted) {
          ctx.fail(notFound(id, null).exception());
          return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject().put("id", id)
          .put("object", "response.deleted").put("deleted", true).toBuffer());
      })
      .onFailure(ctx::fail);
  }

  /** The conversation {@code previous_response_id} names (empty without one); its absence is a 404. */
  private Future<JsonArray> prior(String tenant, Optional<String> previous) {
    if (previous.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    String id = previous.get();
    if (!ResponseObjects.wellFormed(id)) {
      return Future.failedFuture(notFound(id, "previous_response_id").exception());
    }
    return read(tenant, id).compose(found -> found.isPresent()
      ? Future.succeededFuture(found.get().conversation())
      : Future.failedFuture(notFound(id, "previous_response_id").exception()));
  }

  private Future<Optional<StoredResponse>> read(String tenant, String id) {
    return store.get(tenant, id).recover(failure -> Future.failedFuture(unavailable(failure).exception()));
  }

  private static ApiError unavailable(Throwable failure) {
    LOG.warn("response store did not answer: {}", failure.toString());
    return new ApiError(503, ApiError.API_ERROR, "response_store_unavailable", null,
      "The response store did not answer; retry shortly", 1);
  }

  private static ApiError notFound(String id, String param) {
    String shown = id == null ? "" : id.replaceAll("\\p{Cntrl}", "?");
    return new ApiError(404, ApiError.INVALID_REQUEST,
      param == null ? "response_not_found" : "previous_response_not_found", param,
      "No response with id '" + (shown.length() > 64 ? shown.substring(0, 64) + "…" : shown) + "' was found", 0);
  }

  /** Keeps a finished response when the request asked for it; never fails (a store that cannot take it is logged). */
  private Future<Void> keep(RoutingContext ctx, Exchange exchange, JsonObject response) {
    if (!exchange.request().store()) {
      return Future.succeededFuture();
    }
    return store.put(Caller.of(ctx).tenant(), new StoredResponse(response, exchange.conversation()))
      .otherwise(failure -> {
        LOG.warn("request {}: response {} not stored: {}", RequestIds.of(ctx), exchange.responseId(),
          failure.toString());
        return null;
      });
  }

  private void replay(RoutingContext ctx, Exchange exchange, CachedAnswer answer, long start) {
    HttpServerResponse response = ctx.response();
    String decisionId = RequestIds.decision(ctx);
    boolean stream = exchange.request().stream();
    UsageRecord record = service.accountant().cacheHit(decisionId, answer.policy(), answer.model(), answer.taskType(),
      answer.complexity(), answer.usage(), stream, start);
    ChatCompletionsHandler.decisionHeaders(response, answer.model(), answer.taskType(), answer.policy(), decisionId, 0);
    JsonObject answered = ResponseObjects.fromCompletion(exchange.shell(answer.model()),
      answer.completion().toJsonObject(), answer.usage());
    if (stream) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    } else {
      ChatCompletionsHandler.costHeaders(response, record)
        .putHeader(ChatCompletionsHandler.ESTIMATED_HEADER, Boolean.toString(answer.usage().estimated()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    keep(ctx, exchange, answered).onComplete(kept -> {
      response.end(stream ? ResponseStream.replay(answered, ChatCompletionsHandler.costComment(record))
        : answered.toBuffer());
      accessLog.served(ctx, 200, record);
    });
  }

  private void json(RoutingContext ctx, Exchange exchange, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.complete(Caller.of(ctx), exchange.chat(), RequestIds.decision(ctx), start, cancellation)
      .onSuccess(result -> {
        UsageRecord record = result.record();
        JsonObject answered = ResponseObjects.fromCompletion(exchange.shell(result.routed().model().id()),
          result.completion().json(), result.completion().usage());
        ChatCompletionsHandler.decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        ChatCompletionsHandler.costHeaders(response, record)
          .putHeader(ChatCompletionsHandler.ESTIMATED_HEADER, Boolean.toString(record.usage().estimated()))
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        meters.overhead(record.model(), record.provider(), false, record.overheadMicros() * 1_000);
        meters.upstreamTtfb(record.model(), record.provider(), result.ttfbNanos());
        if (result.steps().cacheable()) {
          caching.store(lookup, result);
        }
        keep(ctx, exchange, answered).onComplete(kept -> {
          response.end(answered.toBuffer());
          accessLog.served(ctx, 200, record);
        });
      })
      .onFailure(ctx::fail);
  }

  /** A stream relayed to its end (or cut after it started), by the call that served it. */
  private record Relayed(Routed routed, UpstreamCall call, StreamRelay.Result result, ResponseStream translation,
                         Optional<StreamAssembler> assembler) {
  }

  private void stream(RoutingContext ctx, Exchange exchange, CacheLookup lookup, long start) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    ChatRequest request = exchange.chat();
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
          // each try gets its own translation: a failed one sent nothing, so the next starts the response afresh
          ResponseStream translation = new ResponseStream(exchange.shell(servedBy.model().id()));
          StreamRelay relay = new StreamRelay(ctx.vertx(), call, upstream, response, false).transform(translation);
          cancellation.onCancel(relay::clientGone);
          Optional<StreamAssembler> assembler = caching.assembler(lookup);
          assembler.ifPresent(a -> relay.observeChunks(a::add));
          return relay.run().compose(result -> result.end() == StreamRelay.End.CUT && !result.bytesSent()
            ? Future.failedFuture(result.error().exception())
            : Future.succeededFuture(new Relayed(servedBy, call, result, translation, assembler)));
        })
        .onSuccess(relayed -> {
          finish(ctx, exchange, relayed, start);
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

  private void finish(RoutingContext ctx, Exchange exchange, Relayed relayed, long start) {
    HttpServerResponse response = ctx.response();
    Routed routed = relayed.routed();
    UpstreamCall call = relayed.call();
    StreamRelay.Result result = relayed.result();
    Usage usage = result.usage() != null ? result.usage()
      : Accountant.estimated(routed, result.countedCompletionTokens());
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
    UsageRecord record = service.accountant().record(RequestIds.decision(ctx), routed, usage, outcome, true, start,
      ttfb, overhead);
    if (ttfb > 0) {
      meters.upstreamTtfb(record.model(), record.provider(), ttfb);
    }
    meters.overhead(record.model(), record.provider(), true, overhead);
    switch (result.end()) {
      case DONE, FINISHED -> {
        Buffer tail = relayed.translation().end(usage, ChatCompletionsHandler.costComment(record));
        keep(ctx, exchange, relayed.translation().response()).onComplete(kept -> {
          response.end(tail);
          accessLog.served(ctx, 200, record);
        });
      }
      case CUT -> {
        response.end(relayed.translation().failed(result.error()));
        accessLog.served(ctx, 200, record);
      }
      case CLIENT_GONE -> accessLog.served(ctx, 499, record);
    }
  }
}
