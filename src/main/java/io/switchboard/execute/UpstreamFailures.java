package io.switchboard.execute;

import io.switchboard.config.ProviderConfig;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Turns what went wrong upstream into the error the client gets. Never echoes the provider key. */
public final class UpstreamFailures {

  /** Longest {@code Retry-After} passed on to a client. */
  static final long MAX_RETRY_AFTER_SECONDS = 3_600;
  static final int MAX_MESSAGE = 512;

  private UpstreamFailures() {
  }

  /** An upstream answer with status 400 or above. */
  static ApiError fromStatus(ProviderConfig provider, int status, Buffer body, String retryAfter) {
    JsonObject upstreamError = errorObject(body);
    String upstreamMessage = upstreamError == null ? null : upstreamError.getString("message");
    String upstreamCode = upstreamError == null || !(upstreamError.getValue("code") instanceof String c) ? null : c;
    if (status == 429) {
      return new ApiError(429, ApiError.RATE_LIMIT, "upstream_rate_limited", null,
        "The provider '" + provider.name() + "' is rate limiting the gateway; retry later", retryAfterSeconds(retryAfter));
    }
    if (status == 401 || status == 403) {
      return new ApiError(502, ApiError.API_ERROR, "upstream_auth_error", null,
        "The provider '" + provider.name() + "' rejected the gateway's credentials (HTTP " + status + "); check "
          + provider.keySource(), 0);
    }
    if (status < 500) {
      String message = "The provider '" + provider.name() + "' rejected the request (HTTP " + status + ")"
        + (upstreamMessage == null ? "" : ": " + sanitize(upstreamMessage));
      String type = upstreamError != null && upstreamError.getValue("type") instanceof String t ? t : ApiError.INVALID_REQUEST;
      String param = upstreamError != null && upstreamError.getValue("param") instanceof String p ? p : null;
      return new ApiError(status, type, upstreamCode == null ? "upstream_client_error" : upstreamCode, param,
        truncate(message), 0);
    }
    return new ApiError(502, ApiError.API_ERROR, "upstream_error",
      null, "The provider '" + provider.name() + "' failed (HTTP " + status + ")", 0);
  }

  /** A transport failure: no connection, a reset, a timeout, an oversized or malformed body. */
  public static ApiError fromThrowable(ProviderConfig provider, Throwable failure) {
    if (failure instanceof ApiException api) {
      return api.error();
    }
    if (isTimeout(failure)) {
      return new ApiError(504, ApiError.API_ERROR, "upstream_timeout", null,
        "The provider '" + provider.name() + "' did not answer in time", 0);
    }
    if (failure instanceof BoundedBody.TooLargeException) {
      return invalidResponse(provider, "its response exceeds the configured max_response_bytes");
    }
    return new ApiError(502, ApiError.API_ERROR, "upstream_error", null,
      "The provider '" + provider.name() + "' could not be reached or dropped the connection", 0);
  }

  static ApiError invalidResponse(ProviderConfig provider, String why) {
    return new ApiError(502, ApiError.API_ERROR, "upstream_invalid_response", null,
      "The provider '" + provider.name() + "' sent an invalid response: " + why, 0);
  }

  static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  static long retryAfterSeconds(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        long seconds = Duration.between(ZonedDateTime.now(at.getZone()), at).toSeconds();
        return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
      } catch (DateTimeParseException notDate) {
        return 0;
      }
    }
  }

  private static JsonObject errorObject(Buffer body) {
    try {
      Object error = new JsonObject(body).getValue("error");
      return error instanceof JsonObject object ? object : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static String sanitize(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", " ");
    return truncate(printable.replaceAll("(?i)(sk|key|bearer)[-_ ]?[A-Za-z0-9_\\-]{8,}", "[redacted]"));
  }

  private static String truncate(String text) {
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 1) + "…" : text;
  }
}
