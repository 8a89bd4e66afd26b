package io.switchboard.api;

import io.switchboard.auth.Caller;
import io.switchboard.execute.ChatService;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/route}: a dry run. Takes a chat-completions body and answers with the classification, the
 * chosen model, the ranked alternatives, the fallback chain, the estimated and baseline cost and the reasons,
 * without calling any upstream.
 */
final class RouteHandler {

  private final ChatService service;

  RouteHandler(ChatService service) {
    this.service = service;
  }

  void handle(RoutingContext ctx) {
    ChatRequest request = ChatRequests.of(ctx);
    service.route(request, Caller.of(ctx), null)
      .onSuccess(routed -> {
        JsonObject body = new JsonObject()
          .put("request_id", RequestIds.of(ctx))
          .put("decision_id", RequestIds.decision(ctx))
          .put("requested_model", request.model())
          .put("classification", routed.classification().toJson())
          .mergeIn(routed.decision().toJson())
          .put("estimated_savings_micros", routed.decision().baselineCostMicros() - routed.decision().estimatedCostMicros());
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
      })
      .onFailure(ctx::fail);
  }
}
