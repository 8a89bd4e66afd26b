package io.switchboard.anthropic;

import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;

/** The 400s of the Anthropic front door's validation; the error handler renders them in Anthropic's shape. */
final class Invalid {

  private Invalid() {
  }

  static ApiException type(String param, String expected) {
    return ApiError.invalid("invalid_type", param, "'" + param + "' must be " + expected).exception();
  }

  static ApiException missing(String param) {
    return ApiError.invalid("missing_required_parameter", param, "'" + param + "' is required").exception();
  }

  static ApiException value(String param, String message) {
    return ApiError.invalid("invalid_value", param, message).exception();
  }
}
