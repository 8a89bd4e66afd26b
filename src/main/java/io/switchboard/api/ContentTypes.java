package io.switchboard.api;

import io.switchboard.openai.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/** JSON endpoints take {@code application/json} (UTF-8) or no content type at all; anything else is a 415. */
final class ContentTypes {

  private ContentTypes() {
  }

  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      String lower = type.toLowerCase(Locale.ROOT).replace(" ", "");
      boolean json = lower.equals("application/json") || lower.startsWith("application/json;");
      boolean utf8 = !lower.contains("charset=") || lower.contains("charset=utf-8");
      if (!json || !utf8) {
        ctx.fail(new ApiError(415, ApiError.INVALID_REQUEST, "unsupported_media_type", null,
          "Send the body as Content-Type: application/json (UTF-8)", 0).exception());
        return;
      }
    }
    ctx.next();
  }
}
