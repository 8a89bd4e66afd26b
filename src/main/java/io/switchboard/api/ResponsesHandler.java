package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
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

  private final FrontDoorFlow flow;
  private final ResponseStore store;

  ResponsesHandler(ChatService service, GatewayMeters meters, AccessLog accessLog, ResponseCaching caching,
                   ResponseStore store) {
    this.flow = new FrontDoorFlow(service, meters, accessLog, caching);
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
      flow.serve(ctx, tenant, chat, request.stream(), start, new Door(ctx, exchange));
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

  /** The Responses dialect: Response objects and their event stream, each kept before the client gets its end. */
  private final class Door implements FrontDoor {

    private final RoutingContext ctx;
    private final Exchange exchange;

    Door(RoutingContext ctx, Exchange exchange) {
      this.ctx = ctx;
      this.exchange = exchange;
    }

    @Override
    public Future<Buffer> replayed(CachedAnswer answer, UsageRecord record, boolean stream) {
      JsonObject answered = ResponseObjects.fromCompletion(exchange.shell(answer.model()),
        answer.completion().toJsonObject(), answer.usage());
      return keep(ctx, exchange, answered).map(kept -> stream
        ? ResponseStream.replay(answered, SwitchboardHeaders.costComment(record))
        : answered.toBuffer());
    }

    @Override
    public Future<Buffer> answered(ChatService.ChatResult result) {
      JsonObject answered = ResponseObjects.fromCompletion(exchange.shell(result.routed().model().id()),
        result.completion().json(), result.completion().usage());
      return keep(ctx, exchange, answered).map(kept -> answered.toBuffer());
    }

    @Override
    public StreamTry streamTry(Routed servedBy, UpstreamCall call) {
      // each try gets its own translation: a failed one sent nothing, so the next starts the response afresh
      return new Try(new ResponseStream(exchange.shell(servedBy.model().id())));
    }

    /** One try of a Responses stream. */
    private final class Try implements StreamTry {

      private final ResponseStream translation;

      Try(ResponseStream translation) {
        this.translation = translation;
      }

      @Override
      public StreamRelay.Transform transform() {
        return translation;
      }

      @Override
      public Future<Buffer> finished(HttpServerResponse response, StreamRelay relay, Usage usage,
                                     Buffer costComment) {
        Buffer tail = translation.end(usage, costComment);
        return keep(ctx, exchange, translation.response()).map(kept -> tail);
      }

      @Override
      public Buffer cut(ApiError error) {
        return translation.failed(error);
      }
    }
  }
}
