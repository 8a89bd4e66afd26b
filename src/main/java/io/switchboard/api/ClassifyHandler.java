package io.switchboard.api;

import io.switchboard.bus.Addresses;
import io.switchboard.classify.Classification;
import io.switchboard.classify.ClassifyRequest;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/classify}: the classification of a chat-completions body on its own (task type, complexity, their
 * probabilities, confidence and which classifier tier answered), without routing or any upstream call.
 */
final class ClassifyHandler {

  private final EventBus bus;
  private final DeliveryOptions options;

  ClassifyHandler(EventBus bus, long timeoutMillis) {
    this.bus = bus;
    this.options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMillis);
  }

  void handle(RoutingContext ctx) {
    ChatRequest request = ChatRequests.of(ctx);
    ClassifyRequest question = new ClassifyRequest(request.messages(), request.toolsPresent(), request.toolsChars(),
      request.bodyBytes());
    bus.<Classification>request(Addresses.CLASSIFY, question, options)
      .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("request_id", RequestIds.of(ctx)).put("classification", reply.body().toJson())
          .toBuffer()))
      .onFailure(e -> ctx.fail(new ApiError(503, ApiError.API_ERROR, "classifier_unavailable", null,
        "The classifier did not answer in time", 0).exception()));
  }
}
