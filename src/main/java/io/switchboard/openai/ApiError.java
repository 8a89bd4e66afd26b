package io.switchboard.openai;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An error as the client sees it: HTTP status plus OpenAI's {@code {"error":{message,type,param,code}}}.
 * Messages are written for people, never carry secrets, and echo at most a short, sanitised piece of input.
 *
 * @param retryAfterSeconds value of the {@code Retry-After} header, or 0 for none
 */
public record ApiError(int status, String type, String code, String param, String message, long retryAfterSeconds) {

  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String API_ERROR = "api_error";
  public static final String RATE_LIMIT = "rate_limit_error";

  public static ApiError invalid(String code, String param, String message) {
    return new ApiError(400, INVALID_REQUEST, code, param, message, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
      .put("message", message)
      .put("type", type)
      .put("param", param)
      .put("code", code));
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /** The error as an in-band SSE event, for failures after a stream has started. */
  public Buffer toSseEvent() {
    return Buffer.buffer("data: ").appendBuffer(toBuffer()).appendString("\n\n");
  }

  public ApiException exception() {
    return new ApiException(this);
  }
}
