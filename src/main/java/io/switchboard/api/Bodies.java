package io.switchboard.api;

import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** The request body read by the {@code BodyHandler}; an empty one is an error, not an empty object. */
final class Bodies {

  private Bodies() {
  }

  static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.invalid("invalid_json", null, "The request body is empty: send a JSON object").exception();
    }
    return body;
  }
}
