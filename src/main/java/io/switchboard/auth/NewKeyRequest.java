package io.switchboard.auth;

import io.switchboard.config.GatewayConfig;
import io.switchboard.limit.Limits;
import io.switchboard.openai.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code POST /admin/keys} into a {@link VirtualKey}. Every problem is a 400 whose
 * {@code param} names the field ({@code budget.daily_usd}, {@code models[2]}); unknown fields are refused.
 */
final class NewKeyRequest {

  private static final Set<String> FIELDS = Set.of("name", "user", "team", "models", "budget", "limits");
  private static final Set<String> BUDGET_FIELDS = Set.of("daily_usd", "monthly_usd");
  private static final Set<String> LIMIT_FIELDS = Set.of("requests_per_minute", "input_tokens_per_minute",
    "output_tokens_per_minute");
  private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,128}");
  // the same names budget scopes accept (user:NAME, team:NAME)
  private static final Pattern OWNER = Pattern.compile("[\\x21-\\x7e&&[^:|]]{1,64}");
  private static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000);
  private static final BigDecimal MICROS_PER_USD = BigDecimal.valueOf(1_000_000);

  private NewKeyRequest() {
  }

  static VirtualKey parse(JsonObject body, GatewayConfig config, String id, Instant now) {
    allowOnly(body, FIELDS, "");
    String name = text(body, "name", NAME, "a name of 1 to 128 characters without control characters");
    if (name == null) {
      throw ApiError.invalid("missing_required_parameter", "name", "name is required: what the key is for").exception();
    }
    String owner = "1 to 64 printable ASCII characters without spaces, ':' or '|'";
    String user = text(body, "user", OWNER, owner);
    String team = text(body, "team", OWNER, owner);
    JsonObject budget = object(body, "budget");
    allowOnly(budget, BUDGET_FIELDS, "budget.");
    JsonObject limits = object(body, "limits");
    allowOnly(limits, LIMIT_FIELDS, "limits.");
    return new VirtualKey(id, name, user == null ? "" : user, team == null ? "" : team, models(body, config),
      micros(budget, "daily_usd"), micros(budget, "monthly_usd"),
      new Limits(perMinute(limits, "requests_per_minute"), perMinute(limits, "input_tokens_per_minute"),
        perMinute(limits, "output_tokens_per_minute")),
      now, false);
  }

  private static void allowOnly(JsonObject json, Set<String> allowed, String prefix) {
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        throw ApiError.invalid("invalid_value", prefix + field,
          "Unknown field '" + prefix + field + "' (expected one of " + String.join(", ", allowed.stream().sorted().toList())
            + ")").exception();
      }
    }
  }

  private static String text(JsonObject body, String field, Pattern shape, String expected) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiError.invalid("invalid_type", field, field + " must be a string: " + expected).exception();
    }
    if (!shape.matcher(text).matches()) {
      throw ApiError.invalid("invalid_value", field, field + " must be " + expected).exception();
    }
    return text;
  }

  private static JsonObject object(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiError.invalid("invalid_type", field, field + " must be an object").exception();
    }
    return object;
  }

  private static List<String> models(JsonObject body, GatewayConfig config) {
    Object value = body.getValue("models");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ApiError.invalid("invalid_type", "models", "models must be a list of model, alias or policy names")
        .exception();
    }
    Set<String> models = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String param = "models[" + i + "]";
      if (!(array.getValue(i) instanceof String model)) {
        throw ApiError.invalid("invalid_type", param, param + " must be a string").exception();
      }
      if (!ModelAccess.isKnown(config, model)) {
        throw ApiError.invalid("invalid_value", param, param + " is not a model, alias or policy of this gateway")
          .exception();
      }
      models.add(model);
    }
    return new ArrayList<>(models);
  }

  private static long micros(JsonObject budget, String field) {
    Object value = budget.getValue(field);
    if (value == null) {
      return 0;
    }
    String param = "budget." + field;
    if (!(value instanceof Number number)) {
      throw ApiError.invalid("invalid_type", param, param + " must be a number of dollars").exception();
    }
    BigDecimal usd = new BigDecimal(number.toString());
    if (usd.compareTo(BigDecimal.ZERO) <= 0 || usd.compareTo(MAX_USD) > 0 || usd.scale() > 6) {
      throw ApiError.invalid("invalid_value", param,
        param + " must be more than 0 and at most 1000000000 dollars, to the micro-dollar (6 decimals)").exception();
    }
    return usd.multiply(MICROS_PER_USD).longValueExact();
  }

  private static long perMinute(JsonObject limits, String field) {
    Object value = limits.getValue(field);
    if (value == null) {
      return 0;
    }
    String param = "limits." + field;
    BigDecimal exact = value instanceof Number number ? new BigDecimal(number.toString()) : null;
    if (exact == null || exact.stripTrailingZeros().scale() > 0) {
      throw ApiError.invalid("invalid_type", param, param + " must be a whole number").exception();
    }
    if (exact.compareTo(BigDecimal.ONE) < 0 || exact.compareTo(BigDecimal.valueOf(Limits.MAX_PER_MINUTE)) > 0) {
      throw ApiError.invalid("invalid_value", param, param + " must be between 1 and " + Limits.MAX_PER_MINUTE)
        .exception();
    }
    return exact.longValueExact();
  }
}
