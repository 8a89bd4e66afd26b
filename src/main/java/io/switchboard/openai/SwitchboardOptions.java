package io.switchboard.openai;

import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The gateway's own options in a chat request, the {@code switchboard} object of its body. They are taken out of
 * the body before it goes upstream (a provider would refuse a field it does not know).
 *
 * @param cache {@code true} caches a request that is not deterministic, {@code false} keeps the request away
 *              from the cache; empty leaves it to the gateway
 */
public record SwitchboardOptions(Optional<Boolean> cache) {

  public static final String FIELD = "switchboard";
  public static final SwitchboardOptions NONE = new SwitchboardOptions(Optional.empty());

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
      if (!key.equals("cache")) {
        throw invalid(FIELD + "." + key, "Unknown gateway option '" + FIELD + "." + key + "' (known: cache)");
      }
    }
    Object cache = options.getValue("cache");
    if (cache != null && !(cache instanceof Boolean)) {
      throw ApiError.invalid("invalid_type", FIELD + ".cache", "'" + FIELD + ".cache' must be a boolean").exception();
    }
    return new SwitchboardOptions(Optional.ofNullable((Boolean) cache));
  }

  private static ApiException invalid(String param, String message) {
    return ApiError.invalid("invalid_value", param, message).exception();
  }
}
