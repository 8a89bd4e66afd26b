package io.switchboard.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Anthropic tool definitions and {@code tool_choice} in their OpenAI form. Client tools become functions
 * ({@code input_schema} is the JSON schema OpenAI calls {@code parameters}); Anthropic's server tools (web search,
 * code execution, ...: a {@code type} and no schema) run at Anthropic only and are dropped.
 */
final class Tools {

  private Tools() {
  }

  /** Puts the client tools on {@code chat}; true when at least one is there. */
  static boolean translate(Object value, JsonObject chat, Set<String> dropped) {
    if (value == null) {
      return false;
    }
    if (!(value instanceof JsonArray tools)) {
      throw Invalid.type("tools", "an array");
    }
    JsonArray functions = new JsonArray();
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      if (!(tools.getValue(i) instanceof JsonObject tool)) {
        throw Invalid.type(at, "an object");
      }
      Object type = tool.getValue("type");
      if (type != null && !"custom".equals(type)) {
        if (!(type instanceof String) || tool.containsKey("input_schema")) {
          throw Invalid.value(at + ".type", "'" + at + ".type' must be 'custom' for a tool with an input_schema");
        }
        dropped.add("server tools");
        continue;
      }
      if (!(tool.getValue("name") instanceof String name) || name.isEmpty()) {
        throw Invalid.missing(at + ".name");
      }
      if (!(tool.getValue("input_schema") instanceof JsonObject schema)) {
        throw tool.containsKey("input_schema") ? Invalid.type(at + ".input_schema", "an object")
          : Invalid.missing(at + ".input_schema");
      }
      JsonObject function = new JsonObject().put("name", name);
      if (tool.getValue("description") instanceof String description) {
        function.put("description", description);
      } else if (tool.getValue("description") != null) {
        throw Invalid.type(at + ".description", "a string");
      }
      function.put("parameters", schema);
      if (tool.containsKey("cache_control")) {
        dropped.add("cache_control");
      }
      functions.add(new JsonObject().put("type", "function").put("function", function));
    }
    if (!functions.isEmpty()) {
      chat.put("tools", functions);
    }
    return !functions.isEmpty();
  }

  /** {@code auto}, {@code any}, {@code tool} and {@code none} as OpenAI's auto, required, a named function, none. */
  static void choice(Object value, boolean toolsPresent, JsonObject chat, Set<String> dropped) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject choice) || !(choice.getValue("type") instanceof String type)) {
      throw Invalid.type("tool_choice", "an object with a string 'type'");
    }
    Object openAi = switch (type) {
      case "auto" -> "auto";
      case "any" -> "required";
      case "none" -> "none";
      case "tool" -> {
        if (!(choice.getValue("name") instanceof String name) || name.isEmpty()) {
          throw Invalid.missing("tool_choice.name");
        }
        yield new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name));
      }
      default -> throw Invalid.value("tool_choice.type", "'tool_choice.type' must be auto, any, tool or none");
    };
    Object parallel = choice.getValue("disable_parallel_tool_use");
    if (parallel != null && !(parallel instanceof Boolean)) {
      throw Invalid.type("tool_choice.disable_parallel_tool_use", "a boolean");
    }
    if (!toolsPresent) {
      // OpenAI refuses a tool_choice without tools; with none to choose from, the choice means nothing
      dropped.add("tool_choice without tools");
      return;
    }
    chat.put("tool_choice", openAi);
    if (Boolean.TRUE.equals(parallel) && !type.equals("none")) {
      chat.put("parallel_tool_calls", false);
    }
  }
}
