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

  static final String RATE_LIMITED = "upstream_rate_limited";
  static final String ERROR = "upstream_error";
  static final String AUTH_ERROR = "upstream_auth_error";
  static final String KEY_MISSING = "provider_key_missing";
  static final String INVALID_RESPONSE = "upstream_invalid_response";
  static final String STREAM_CUT = "upstream_stream_cut";
  static final String CONNECT_TIMEOUT = "upstream_connect_timeout";
  static final String FIRST_BYTE_TIMEOUT = "upstream_first_byte_timeout";
  static final String IDLE_TIMEOUT = "upstream_idle_timeout";
  static final String TOTAL_TIMEOUT = "upstream_total_timeout";
  static final String DEADLINE = "request_deadline_exceeded";

  /** Outcomes of calls the gateway names itself; anything else a provider said is {@code upstream_client_error}. */
  private static final java.util.Set<String> OWN_CODES = java.util.Set.of(RATE_LIMITED, ERROR, AUTH_ERROR, KEY_MISSING,
    INVALID_RESPONSE, STREAM_CUT, CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT, DEADLINE,
    UpstreamCall.CLIENT_CLOSED.code());

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
      return new ApiError(429, ApiError.RATE_LIMIT, RATE_LIMITED, null,
        "The provider '" + provider.name() + "' is rate limiting the gateway; retry later", retryAfterSeconds(retryAfter));
    }
    if (status == 401 || status == 403) {
      return new ApiError(502, ApiError.API_ERROR, AUTH_ERROR, null,
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
    // a 503's Retry-After tells when the provider expects to be back: kept for the retry, and for the client
    return new ApiError(502, ApiError.API_ERROR, ERROR, null,
      "The provider '" + provider.name() + "' failed (HTTP " + status + ")", status == 503 ? retryAfterSeconds(retryAfter) : 0);
  }

  /**
   * A transport failure: no connection, a reset, a timeout, an oversized or malformed body.
   *
   * @param timeoutCode the code of a timeout that is not a connect timeout: which one depends on the phase
   */
  public static ApiError fromThrowable(ProviderConfig provider, Throwable failure, String timeoutCode) {
    if (failure instanceof ApiException api) {
      return api.error();
    }
    if (isConnectTimeout(failure)) {
      return timeout(provider, CONNECT_TIMEOUT);
    }
    if (isTimeout(failure)) {
      return timeout(provider, timeoutCode);
    }
    if (failure instanceof BoundedBody.TooLargeException) {
      return invalidResponse(provider, "its response exceeds the configured max_response_bytes");
    }
    return new ApiError(502, ApiError.API_ERROR, ERROR, null,
      "The provider '" + provider.name() + "' could not be reached or dropped the connection", 0);
  }

  /** One of the timeouts: each has its own code, so a client and a dashboard can tell them apart. */
  static ApiError timeout(ProviderConfig provider, String code) {
    String what = switch (code) {
      case CONNECT_TIMEOUT -> "could not be connected to within connect_timeout_ms";
      case FIRST_BYTE_TIMEOUT -> "did not start answering within first_byte_timeout_ms";
      case IDLE_TIMEOUT -> "went silent in the middle of its answer for longer than idle_timeout_ms";
      case TOTAL_TIMEOUT -> "did not finish its answer within total_timeout_ms";
      default -> "did not answer before the request's deadline (resilience.deadline_ms)";
    };
    return new ApiError(504, ApiError.API_ERROR, code, null, "The provider '" + provider.name() + "' " + what, 0);
  }

  /** How a failed call ended, from a closed set (it labels metrics): a provider's own error codes are folded. */
  static String outcome(ApiError error) {
    return OWN_CODES.contains(error.code()) ? error.code() : "upstream_client_error";
  }

  static ApiError invalidResponse(ProviderConfig provider, String why) {
    return new ApiError(502, ApiError.API_ERROR, INVALID_RESPONSE, null,
      "The provider '" + provider.name() + "' sent an invalid response: " + why, 0);
  }

  static boolean isConnectTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return true;
      }
    }
    return false;
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
        // rounded up: waiting the truncated number of seconds would come back before the date
        long seconds = (Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis() + 999) / 1_000;
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
