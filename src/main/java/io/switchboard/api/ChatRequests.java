package io.switchboard.api;

import io.switchboard.openai.ChatRequest;
import io.vertx.ext.web.RoutingContext;

/** The chat request of an HTTP call: its body, with the routing constraints its {@code x-switchboard-*} headers add. */
final class ChatRequests {

  private ChatRequests() {
  }

  static ChatRequest of(RoutingContext ctx) {
    ChatRequest request = ChatRequest.parse(Bodies.of(ctx));
    return request.withOptions(request.options().withHeaders(ctx.request().headers()::get));
  }
}
