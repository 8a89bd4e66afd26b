package io.switchboard.route;

/**
 * The request names nothing routable, or nothing can hold it. {@code code} is the OpenAI-style error code
 * ({@code model_not_found}, {@code context_length_exceeded},
 * {@code constraint_not_satisfiable}).
 */
public final class NoRouteException extends RuntimeException {

  public static final String MODEL_NOT_FOUND = "model_not_found";
  public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";
  /** A constraint of the request ({@code max_cost_usd}, {@code min_quality}, {@code max_latency_ms}) rules out every model. */
  public static final String CONSTRAINT_NOT_SATISFIABLE = "constraint_not_satisfiable";

  private final String code;

  public NoRouteException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
