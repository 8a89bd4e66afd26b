package io.switchboard.execute;

import io.switchboard.openai.ApiError;

/**
 * What the gateway does after an upstream call failed before any of its answer reached the client, decided by
 * the error's code. Only failures that cannot have been caused by the request itself are retried.
 */
enum FailoverRule {
  /** Transient (5xx, 429, a broken or refused connection): try the same model again after a wait. */
  RETRY(true),
  /** The provider rejected the key: another key of the same provider may work, else move on. */
  OTHER_KEY(false),
  /** The model is slow, silent or broken right now: move on to the next model at once. */
  NEXT_MODEL(true),
  /** Not the model's fault and no other model would do better (a 4xx, the client left): give up. */
  GIVE_UP(false);

  private final boolean countsAgainstModel;

  FailoverRule(boolean countsAgainstModel) {
    this.countsAgainstModel = countsAgainstModel;
  }

  /** Whether the failure counts towards opening the model's circuit breaker. */
  boolean countsAgainstModel() {
    return countsAgainstModel;
  }

  static FailoverRule of(ApiError error) {
    String code = error.code() == null ? "" : error.code();
    return switch (code) {
      case UpstreamFailures.RATE_LIMITED, UpstreamFailures.ERROR, UpstreamFailures.CONNECT_TIMEOUT -> RETRY;
      case UpstreamFailures.AUTH_ERROR, UpstreamFailures.KEY_MISSING -> OTHER_KEY;
      case UpstreamFailures.FIRST_BYTE_TIMEOUT, UpstreamFailures.IDLE_TIMEOUT, UpstreamFailures.TOTAL_TIMEOUT,
        UpstreamFailures.INVALID_RESPONSE, UpstreamFailures.STREAM_CUT -> NEXT_MODEL;
      default -> GIVE_UP;
    };
  }
}
