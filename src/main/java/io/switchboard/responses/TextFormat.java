package io.switchboard.responses;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The {@code text} option of a Responses request: {@code format} {@code json_object} and {@code json_schema} become
 * the chat request's {@code response_format}, {@code text} is the default; {@code verbosity} is a hint chat upstreams
 * do not take and is left out.
 */
final class TextFormat {

  private static final Set<String> SCHEMA_FIELDS = Set.of("type", "name", "schema", "description", "strict");

  private TextFormat() {
  }

  static void validate(Object value, Set<String> dropped) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject text)) {
      throw Invalid.type("text", "an object");
    }
    for (String key : text.fieldNames()) {
      if (!key.equals("format") && !key.equals("verbosity")) {
        throw Invalid.unsupported("text." + Invalid.abbreviate(key), "Unknown text option '" + Invalid.abbreviate(key)
          + "' (known: format, verbosity)");
      }
    }
    if (text.getValue("verbosity") != null) {
      if (!(text.getValue("verbosity") instanceof String)) {
        throw Invalid.type("text.verbosity", "a string");
      }
      dropped.add("text.verbosity");
    }
    Object format = text.getValue("format");
    if (format == null) {
      return;
    }
    if (!(format instanceof JsonObject f) || !(f.getValue("type") instanceof String type)) {
      throw Invalid.type("text.format", "an object with a string 'type'");
    }
    switch (type) {
      case "text", "json_object" -> {
        if (f.size() > 1) {
          throw Invalid.unsupported("text.format", "'text.format' of type '" + type + "' takes no other fields");
        }
      }
      case "json_schema" -> {
        for (String key : f.fieldNames()) {
          if (!SCHEMA_FIELDS.contains(key)) {
            throw Invalid.unsupported("text.format." + Invalid.abbreviate(key), "'" + Invalid.abbreviate(key)
              + "' is not a field of a json_schema format");
          }
        }
        if (!(f.getValue("name") instanceof String name) || name.isEmpty()) {
          throw Invalid.missing("text.format.name");
        }
        if (!(f.getValue("schema") instanceof JsonObject)) {
          throw f.containsKey("schema") ? Invalid.type("text.format.schema", "an object (a JSON schema)")
            : Invalid.missing("text.format.schema");
        }
        if (f.getValue("description") != null && !(f.getValue("description") instanceof String)) {
          throw Invalid.type("text.format.description", "a string");
        }
        if (f.getValue("strict") != null && !(f.getValue("strict") instanceof Boolean)) {
          throw Invalid.type("text.format.strict", "a boolean");
        }
      }
      default -> throw Invalid.value("text.format.type", "'text.format.type' must be text, json_object or json_schema");
    }
  }

  /** Puts the validated format on {@code chat} as {@code response_format}. */
  static void translate(Object value, JsonObject chat) {
    if (!(value instanceof JsonObject text) || !(text.getValue("format") instanceof JsonObject format)) {
      return;
    }
    switch (format.getString("type")) {
      case "json_object" -> chat.put("response_format", new JsonObject().put("type", "json_object"));
      case "json_schema" -> {
        JsonObject schema = format.copy();
        schema.remove("type");
        chat.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", schema));
      }
      default -> {
        // text: the chat default
      }
    }
  }
}
