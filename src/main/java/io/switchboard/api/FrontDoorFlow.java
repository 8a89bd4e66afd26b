package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CacheLookup;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cache.StreamAssembler;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.Cancellation;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Failover;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * The flow every front door shares, whatever its wire dialect: ask the response cache and replay a hit; otherwise
 * route, admit and call the upstream for a whole answer or a relayed stream, with the decision, step and cost
 * headers, the accounting and the access-log line. The request's {@link FrontDoor} only shapes what goes on the
 * wire.
 */
final class FrontDoorFlow {

  /**
   * A stream relayed to its end (or cut after it started), by the call that served it, in the dialect of that try,
   * rebuilt when cacheable.
   */
  record Relayed(Routed routed, UpstreamCall call, StreamRelay relay, StreamRelay.Result result, StreamTry dialect,
                 Optional<StreamAssembler> assembler) {
  }

  private final ChatService service;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final ResponseCaching caching;
  private final StreamFinish finish;

  FrontDoorFlow(ChatService service, GatewayMeters meters, AccessLog accessLog, ResponseCaching caching) {
    this.service = service;
    this.meters = meters;
    this.accessLog = accessLog;
    this.caching = caching;
    this.finish = new StreamFinish(service, meters, accessLog);
  }

  void serve(RoutingContext ctx, String tenant, ChatRequest chat, boolean stream, long start, FrontDoor door) {
    caching.lookup(tenant, chat, ctx.request().headers()).onSuccess(lookup -> {
      if (ctx.response().closed()) {
        return;   // the client left while the cache was asked: nothing was spent, nothing is left to do
      }
      if (lookup.status() != CacheLookup.Status.OFF) {
        ctx.response().putHeader(ResponseCaching.HEADER, lookup.status().wireName());
      }
      try {
        if (lookup.answer().isPresent()) {
          replay(ctx, lookup.answer().get(), stream, start, door);
        } else if (stream) {
          stream(ctx, chat, lookup, start, door);
        } else {
          complete(ctx, chat, lookup, start, door);
        }
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    }).onFailure(ctx::fail);
  }

  /** A hit: the cached answer, whole or replayed as a stream; nothing is routed or called, nothing spent. */
  private void replay(RoutingContext ctx, CachedAnswer answer, boolean stream, long start, FrontDoor door) {
    HttpServerResponse response = ctx.response();
    String decisionId = RequestIds.decision(ctx);
    UsageRecord record = service.accountant().cacheHit(decisionId, answer.policy(), answer.model(), answer.taskType(),
      answer.complexity(), answer.usage(), stream, start);
    SwitchboardHeaders.decisionHeaders(response, answer.model(), answer.taskType(), answer.policy(), decisionId, 0);
    if (stream) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    } else {
      SwitchboardHeaders.costHeaders(response, record)
        .putHeader(SwitchboardHeaders.ESTIMATED_HEADER, Boolean.toString(answer.usage().estimated()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    door.replayed(answer, record, stream).onSuccess(body -> {
      response.end(body);
      accessLog.served(ctx, 200, record);
    }).onFailure(ctx::fail);
  }

  private void complete(RoutingContext ctx, ChatRequest chat, CacheLookup lookup, long start, FrontDoor door) {
    HttpServerResponse response = ctx.response();
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    service.complete(Caller.of(ctx), chat, RequestIds.decision(ctx), start, cancellation)
      .onSuccess(result -> {
        UsageRecord record = result.record();
        SwitchboardHeaders.decisionHeaders(response, result.routed(), RequestIds.decision(ctx), result.attempts());
        SwitchboardHeaders.stepHeaders(response, result.steps());
        SwitchboardHeaders.costHeaders(response, record)
          .putHeader(SwitchboardHeaders.ESTIMATED_HEADER, Boolean.toString(record.usage().estimated()))
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        meters.overhead(record.model(), record.provider(), false, record.overheadMicros() * 1_000);
        meters.upstreamTtfb(record.model(), record.provider(), result.ttfbNanos());
        if (result.steps().cacheable()) {
          caching.store(lookup, result);
        }
        door.answered(result).onSuccess(body -> {
          response.end(body);
          accessLog.served(ctx, 200, record);
        }).onFailure(ctx::fail);
      })
      .onFailure(ctx::fail);
  }

  private void stream(RoutingContext ctx, ChatRequest chat, CacheLookup lookup, long start, FrontDoor door) {
    service.route(chat, Caller.of(ctx), RequestIds.decision(ctx)).onComplete(routedResult -> {
      if (routedResult.failed()) {
        ctx.fail(routedResult.cause());
        return;
      }
      Routed routed = routedResult.result();
      if (!door.tookOver(routed, lookup)) {
        relayStream(ctx, chat, routed, lookup, start, door);
      }
    });
  }

  private void relayStream(RoutingContext ctx, ChatRequest chat, Routed routed, CacheLookup lookup, long start,
                           FrontDoor door) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.decision(ctx);
    Cancellation cancellation = new Cancellation();
    response.closeHandler(v -> cancellation.cancel());
    response.exceptionHandler(e -> cancellation.cancel());
    service.execute(Caller.of(ctx), chat, routed, requestId, cancellation, relay(ctx, lookup, requestId, cancellation,
        door))
      .onSuccess(relayed -> relayed(ctx, lookup, relayed, start))
      .onFailure(failure -> {
        service.recordFailure(requestId, routed, failure, true, start);
        ctx.fail(failure);
      });
  }

  /** One try of a stream: relays the upstream's events to the client; a cut before any byte lets the next try go. */
  Failover.Attempt<Relayed> relay(RoutingContext ctx, CacheLookup lookup, String requestId,
                                  Cancellation cancellation, FrontDoor door) {
    HttpServerResponse response = ctx.response();
    return (servedBy, call, upstream) -> {
      // the head is not written yet: each try names its own model
      response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      SwitchboardHeaders.decisionHeaders(response, servedBy, requestId, call.attempt());
      StreamTry dialect = door.streamTry(servedBy, call);
      StreamRelay relay = new StreamRelay(ctx.vertx(), call, upstream, response, dialect.clientWantsUsage());
      if (dialect.transform() != null) {
        relay.transform(dialect.transform());
      }
      cancellation.onCancel(relay::clientGone);
      Optional<StreamAssembler> assembler = caching.assembler(lookup);
      assembler.ifPresent(a -> relay.observeChunks(a::add));
      return relay.run().compose(result -> result.end() == StreamRelay.End.CUT && !result.bytesSent()
        ? Future.failedFuture(result.error().exception())
        : Future.succeededFuture(new Relayed(servedBy, call, relay, result, dialect, assembler)));
    };
  }

  /** A relayed stream ends: accounted and finished in its dialect, and stored when it ended whole. */
  void relayed(RoutingContext ctx, CacheLookup lookup, Relayed relayed, long start) {
    finish.finish(ctx, relayed, start);
    StreamRelay.End end = relayed.result().end();
    if (end == StreamRelay.End.DONE || end == StreamRelay.End.FINISHED) {
      relayed.assembler().ifPresent(a -> caching.store(lookup, relayed.routed(), a));
    }
  }
}
