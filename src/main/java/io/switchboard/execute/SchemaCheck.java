package io.switchboard.execute;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A basic JSON Schema check, enough to tell a malformed tool call or structured answer: {@code type} (one or a
 * list), {@code required}, {@code properties}, {@code items} and {@code enum}, nested. Keywords it does not know
 * are not checked, so it never refuses a value a full validator would accept for those reasons.
 */
final class SchemaCheck {

  private static final int MAX_DEPTH = 32;

  private SchemaCheck() {
  }

  static boolean matches(Object value, JsonObject schema) {
    return matches(value, schema, 0);
  }

  private static boolean matches(Object value, JsonObject schema, int depth) {
    if (schema == null || depth > MAX_DEPTH) {
      return true;
    }
    Object type = schema.getValue("type");
    if (type instanceof String name && !isOfType(value, name)) {
      return false;
    }
    if (type instanceof JsonArray names && names.stream().noneMatch(n -> n instanceof String s && isOfType(value, s))) {
      return false;
    }
    if (schema.getValue("enum") instanceof JsonArray allowed && !allowed.contains(value)) {
      return false;
    }
    if (value instanceof JsonObject object) {
      if (schema.getValue("required") instanceof JsonArray required
        && required.stream().anyMatch(name -> name instanceof String s && !object.containsKey(s))) {
        return false;
      }
      if (schema.getValue("properties") instanceof JsonObject properties) {
        for (String name : object.fieldNames()) {
          if (properties.getValue(name) instanceof JsonObject property
            && !matches(object.getValue(name), property, depth + 1)) {
            return false;
          }
        }
      }
    }
    if (value instanceof JsonArray array && schema.getValue("items") instanceof JsonObject items) {
      for (int i = 0; i < array.size(); i++) {
        if (!matches(array.getValue(i), items, depth + 1)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isOfType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && !Double.isInfinite(n.doubleValue());
      default -> true;
    };
  }
}
