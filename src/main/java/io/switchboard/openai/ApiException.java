package io.switchboard.openai;

/** Fails a request with a client-visible {@link ApiError}. Carries no stack trace: it is an answer, not a bug. */
public final class ApiException extends RuntimeException {

  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
