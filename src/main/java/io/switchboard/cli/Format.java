package io.switchboard.cli;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** How numbers of the admin API's JSON read in a table: dollars to the micro-dollar, rates as percentages. */
final class Format {

  private Format() {
  }

  /** Dollars with six decimals ({@code $0.000521}), or {@code -} when the field is absent or null. */
  static String usd(JsonObject json, String field) {
    Number value = number(json, field);
    return value == null ? "-" : String.format(Locale.ROOT, "$%.6f", value.doubleValue());
  }

  /** A fraction 0..1 as a percentage with one decimal ({@code 69.0 %}). */
  static String rate(JsonObject json, String field) {
    Number value = number(json, field);
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f %%", value.doubleValue() * 100);
  }

  /** A percentage the API already gives in percent. */
  static String percent(JsonObject json, String field) {
    Number value = number(json, field);
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f %%", value.doubleValue());
  }

  static String count(JsonObject json, String field) {
    Number value = number(json, field);
    return value == null ? "-" : Long.toString(value.longValue());
  }

  static String millis(JsonObject json, String field) {
    Number value = number(json, field);
    return value == null ? "-" : Math.round(value.doubleValue()) + " ms";
  }

  static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? "-" : value.toString();
  }

  /** A JSON number, or a decimal string (the gateway writes exact dollar amounts as strings). */
  private static Number number(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value instanceof String text) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return value instanceof Number n ? n : null;
  }
}
