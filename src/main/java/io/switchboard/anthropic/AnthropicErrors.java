package io.switchboard.anthropic;

import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Errors in Anthropic's shape, {@code {"type":"error","error":{"type":...,"message":...}}}, for the Anthropic
 * front door. The status stays the gateway's; the type is Anthropic's name for that status.
 */
public final class AnthropicErrors {

  private AnthropicErrors() {
  }

  /** Whether {@code path} belongs to the Anthropic front door, whose errors are written in Anthropic's shape. */
  public static boolean owns(String path) {
    return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
  }

  public static JsonObject json(ApiError error) {
    return new JsonObject().put("type", "error")
      .put("error", new JsonObject().put("type", type(error.status())).put("message", error.message()));
  }

  public static Buffer body(ApiError error) {
    return json(error).toBuffer();
  }

  /** The error as an SSE {@code error} event, for failures after a stream has started. */
  public static Buffer sseEvent(ApiError error) {
    Buffer out = Buffer.buffer(256);
    StreamTranslation.event(out, "error", json(error));
    return out;
  }

  static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
