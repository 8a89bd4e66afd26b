package io.switchboard.responses;

import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;

/** The 400s of the Responses front door's validation, OpenAI-shaped, each naming the offending parameter. */
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

  /** A feature of the Responses API this gateway cannot serve faithfully: refused rather than ignored. */
  static ApiException unsupported(String param, String message) {
    return ApiError.invalid("unsupported_parameter", param, message).exception();
  }

  /** A short, printable piece of client input for an error message. */
  static String abbreviate(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
