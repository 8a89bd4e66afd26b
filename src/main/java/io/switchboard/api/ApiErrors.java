package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.anthropic.AnthropicErrors;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The one place that turns a failure into the client's answer: OpenAI-style JSON (Anthropic's shape on the
 * Anthropic front door, {@code /v1/messages}) with the right status, or,
 * once a stream has started, an in-band error event and the end of the stream. Unknown failures become a 500
 * with the request id; their stack trace goes to the log once, never to the body.
 */
final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
  private static final Map<String, String> ALLOWED_METHODS = Map.ofEntries(
    Map.entry("/v1/chat/completions", "POST"),
    Map.entry("/v1/messages", "POST"),
    Map.entry("/v1/messages/count_tokens", "POST"),
    Map.entry("/v1/route", "POST"),
    Map.entry("/v1/classify", "POST"),
    Map.entry("/v1/feedback", "POST"),
    Map.entry("/v1/models", "GET"),
    Map.entry("/health", "GET"),
    Map.entry("/ready", "GET"),
    Map.entry("/metrics", "GET"),
    Map.entry("/admin/stats", "GET"),
    Map.entry("/admin/keys", "GET, POST"),
    Map.entry("/admin/budgets", "GET, PUT"),
    Map.entry("/admin/reports/reset", "POST"));
  private static final String ADMIN_KEY_PATH = "/admin/keys/";
  private static final String RESPONSES_PATH = "/v1/responses";

  private final GatewayMeters meters;
  private final AccessLog accessLog;

  ApiErrors(GatewayMeters meters, AccessLog accessLog) {
    this.meters = meters;
    this.accessLog = accessLog;
  }

  void handle(RoutingContext ctx) {
    ApiError error = from(ctx);
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    meters.errors(error.status());
    accessLog.error(ctx, error);
    boolean anthropic = AnthropicErrors.owns(ctx.request().path());
    if (response.headWritten()) {
      response.end(anthropic ? AnthropicErrors.sseEvent(error) : error.toSseEvent());
      return;
    }
    if (error.status() == 405) {
      String path = ctx.request().path();
      response.putHeader(HttpHeaders.ALLOW, path.startsWith(ADMIN_KEY_PATH) || path.startsWith(RESPONSES_PATH + "/")
        ? "GET, DELETE" : path.equals(RESPONSES_PATH) ? "POST" : ALLOWED_METHODS.getOrDefault(path, "GET"));
    }
    if (error.retryAfterSeconds() > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
    }
    response.setStatusCode(error.status())
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(anthropic ? AnthropicErrors.body(error) : error.toBuffer());
  }

  private static ApiError from(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api.error();
    }
    int status = ctx.statusCode();
    return switch (status) {
      case 404 -> new ApiError(404, ApiError.INVALID_REQUEST, "unknown_url", null,
        "Unknown path: " + abbreviate(ctx.request().method() + " " + ctx.request().path()), 0);
      case 405 -> new ApiError(405, ApiError.INVALID_REQUEST, "method_not_allowed", null,
        "Method " + ctx.request().method() + " is not allowed on this path", 0);
      case 413 -> new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null,
        "The request body is larger than the gateway accepts (server.max_body_bytes)", 0);
      case 400 -> ApiError.invalid("invalid_request", null, "The request is malformed");
      default -> {
        String requestId = RequestIds.of(ctx);
        LOG.error("request {} failed unexpectedly", requestId, failure);
        yield new ApiError(500, ApiError.API_ERROR, "internal_error", null,
          "Internal error; quote request id " + requestId + " when reporting it", 0);
      }
    };
  }

  private static String abbreviate(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
