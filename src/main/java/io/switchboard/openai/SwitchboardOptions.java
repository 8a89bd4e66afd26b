package io.switchboard.openai;

import io.switchboard.route.Constraints;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The gateway's own options in a chat request, the {@code switchboard} object of its body. They are taken out of
 * the body before it goes upstream (a provider would refuse a field it does not know). The routing constraints
 * may also come as {@code x-switchboard-max-cost-usd}, {@code x-switchboard-min-quality} and
 * {@code x-switchboard-max-latency-ms} headers; the body's value wins where both give one.
 *
 * @param cache {@code true} caches a request that is not deterministic, {@code false} keeps the request away
 *              from the cache; empty leaves it to the gateway
 * @param constraints limits on the model that serves the request: {@code max_cost_usd} (by the router's
 *                    estimate), {@code min_quality} (0-100 for the task type), {@code max_latency_ms}
 * @param session the client's name for the conversation this request belongs to ({@code session}, or the
 *                {@code x-switchboard-session} header), for session pinning; empty when it gave none
 */
public record SwitchboardOptions(Optional<Boolean> cache, Constraints constraints, Optional<String> session) {

  public static final String FIELD = "switchboard";
  public static final SwitchboardOptions NONE = new SwitchboardOptions(Optional.empty(), Constraints.NONE);
  public static final String SESSION_HEADER = "x-switchboard-session";
  /** Longest accepted session name. */
  static final int MAX_SESSION_LENGTH = 512;
  public static final String MAX_COST_HEADER = "x-switchboard-max-cost-usd";
  public static final String MIN_QUALITY_HEADER = "x-switchboard-min-quality";
  public static final String MAX_LATENCY_HEADER = "x-switchboard-max-latency-ms";

  private static final Set<String> KNOWN = Set.of("cache", Constraints.MAX_COST, Constraints.MIN_QUALITY,
    Constraints.MAX_LATENCY, "session");
  /** Largest accepted max_cost_usd: keeps micro-dollars far inside a long. */
  private static final double MAX_USD = 1_000_000;

  public SwitchboardOptions(Optional<Boolean> cache, Constraints constraints) {
    this(cache, constraints, Optional.empty());
  }

  /** Reads (and removes) the options from {@code body}. */
  static SwitchboardOptions takeFrom(JsonObject body) {
    Object value = body.remove(FIELD);
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof JsonObject options)) {
      throw invalid(FIELD, "'" + FIELD + "' must be an object");
    }
    for (String key : options.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw invalid(FIELD + "." + key, "Unknown gateway option '" + FIELD + "." + key
          + "' (known: cache, max_cost_usd, min_quality, max_latency_ms, session)");
      }
    }
    Object cache = options.getValue("cache");
    if (cache != null && !(cache instanceof Boolean)) {
      throw ApiError.invalid("invalid_type", FIELD + ".cache", "'" + FIELD + ".cache' must be a boolean").exception();
    }
    Function<String, Object> field = options::getValue;
    return new SwitchboardOptions(Optional.ofNullable((Boolean) cache), new Constraints(
      maxCost(field.apply(Constraints.MAX_COST), FIELD + "." + Constraints.MAX_COST),
      minQuality(field.apply(Constraints.MIN_QUALITY), FIELD + "." + Constraints.MIN_QUALITY),
      maxLatency(field.apply(Constraints.MAX_LATENCY), FIELD + "." + Constraints.MAX_LATENCY)),
      session(options.getValue("session"), FIELD + ".session"));
  }

  /** These options with the constraints that {@code headers} give and the body does not. */
  public SwitchboardOptions withHeaders(Function<String, String> headers) {
    String cost = headers.apply(MAX_COST_HEADER);
    String quality = headers.apply(MIN_QUALITY_HEADER);
    String latency = headers.apply(MAX_LATENCY_HEADER);
    String named = headers.apply(SESSION_HEADER);
    Optional<String> session = this.session.isPresent() ? this.session : session(named, SESSION_HEADER);
    if (cost == null && quality == null && latency == null) {
      return session.equals(this.session) ? this : new SwitchboardOptions(cache, constraints, session);
    }
    Constraints body = constraints;
    return new SwitchboardOptions(cache, new Constraints(
      body.maxCostMicros().isPresent() ? body.maxCostMicros() : maxCost(number(cost, MAX_COST_HEADER), MAX_COST_HEADER),
      body.minQuality().isPresent() ? body.minQuality() : minQuality(number(quality, MIN_QUALITY_HEADER),
        MIN_QUALITY_HEADER),
      body.maxLatencyMillis().isPresent() ? body.maxLatencyMillis()
        : maxLatency(number(latency, MAX_LATENCY_HEADER), MAX_LATENCY_HEADER)), session);
  }

  private static Optional<String> session(Object value, String param) {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String name) || name.isBlank() || name.length() > MAX_SESSION_LENGTH) {
      throw invalid(param, "'" + param + "' must be a non-empty string of at most " + MAX_SESSION_LENGTH
        + " characters");
    }
    return Optional.of(name);
  }

  private static Object number(String text, String header) {
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw invalid(header, "The header '" + header + "' must be a number");
    }
  }

  private static OptionalLong maxCost(Object value, String param) {
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!(value instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() <= MAX_USD)) {
      throw invalid(param, "'" + param + "' must be a number of US dollars above 0 and at most 1000000");
    }
    // a cap: whole micro-dollars, rounded down
    return OptionalLong.of(new BigDecimal(n.toString()).movePointRight(6).setScale(0, RoundingMode.FLOOR).longValue());
  }

  private static OptionalInt minQuality(Object value, String param) {
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
      || n.doubleValue() > 100) {
      throw invalid(param, "'" + param + "' must be a whole number from 0 to 100");
    }
    return OptionalInt.of(n.intValue());
  }

  private static OptionalLong maxLatency(Object value, String param) {
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
      || n.doubleValue() > 86_400_000) {
      throw invalid(param, "'" + param + "' must be a whole number of milliseconds from 1 to 86400000");
    }
    return OptionalLong.of(n.longValue());
  }

  private static ApiException invalid(String param, String message) {
    return ApiError.invalid("invalid_value", param, message).exception();
  }
}
