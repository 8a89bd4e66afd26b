package io.switchboard.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code tools} and {@code tool_choice} of a Responses request. Function tools translate one to one to chat
 * tools ({@code name}, {@code description}, {@code parameters}, and {@code strict} when the client set it); the
 * hosted tools (web search, file search, code interpreter, computer use, MCP...) run inside OpenAI's service and are
 * refused.
 */
final class Tools {

  private static final Set<String> FUNCTION_FIELDS = Set.of("type", "name", "description", "parameters", "strict");
  private static final Set<String> CHOICES = Set.of("auto", "none", "required");

  private Tools() {
  }

  static void validate(Object tools, Object choice) {
    Set<String> names = new HashSet<>();
    if (tools != null) {
      if (!(tools instanceof JsonArray array)) {
        throw Invalid.type("tools", "an array");
      }
      for (int i = 0; i < array.size(); i++) {
        String at = "tools[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject tool) || !(tool.getValue("type") instanceof String type)) {
          throw Invalid.type(at, "an object with a string 'type'");
        }
        if (!type.equals("function")) {
          throw Invalid.unsupported(at + ".type", "Tools of type '" + Invalid.abbreviate(type) + "' run inside "
            + "OpenAI's service and are not supported by this gateway; declare a function tool instead");
        }
        for (String key : tool.fieldNames()) {
          if (!FUNCTION_FIELDS.contains(key)) {
            throw Invalid.unsupported(at + "." + Invalid.abbreviate(key), "'" + Invalid.abbreviate(key)
              + "' is not a field of a function tool");
          }
        }
        if (!(tool.getValue("name") instanceof String name) || name.isEmpty()) {
          throw tool.containsKey("name") ? Invalid.type(at + ".name", "a non-empty string")
            : Invalid.missing(at + ".name");
        }
        if (!names.add(name)) {
          throw Invalid.value(at + ".name", "Two tools are named '" + Invalid.abbreviate(name) + "'");
        }
        if (tool.getValue("description") != null && !(tool.getValue("description") instanceof String)) {
          throw Invalid.type(at + ".description", "a string");
        }
        if (tool.getValue("parameters") != null && !(tool.getValue("parameters") instanceof JsonObject)) {
          throw Invalid.type(at + ".parameters", "an object (a JSON schema)");
        }
        if (tool.getValue("strict") != null && !(tool.getValue("strict") instanceof Boolean)) {
          throw Invalid.type(at + ".strict", "a boolean");
        }
      }
    }
    if (choice == null) {
      return;
    }
    if (choice instanceof String mode) {
      if (!CHOICES.contains(mode)) {
        throw Invalid.value("tool_choice", "'tool_choice' must be 'auto', 'none', 'required' or a function");
      }
      if (mode.equals("required") && names.isEmpty()) {
        throw Invalid.value("tool_choice", "'tool_choice: required' needs at least one tool");
      }
      return;
    }
    if (!(choice instanceof JsonObject object) || !(object.getValue("type") instanceof String type)) {
      throw Invalid.type("tool_choice", "a string or an object with a string 'type'");
    }
    if (!type.equals("function")) {
      throw Invalid.unsupported("tool_choice.type", "'tool_choice' of type '" + Invalid.abbreviate(type)
        + "' is not supported; use 'auto', 'none', 'required' or a function");
    }
    if (!(object.getValue("name") instanceof String name) || !names.contains(name)) {
      throw Invalid.value("tool_choice.name", "'tool_choice.name' must name one of the declared function tools");
    }
  }

  /** Puts the chat form of validated tools, tool choice and parallel tool calls on {@code chat}. */
  static void translate(Object tools, Object choice, Object parallel, JsonObject chat) {
    if (!(tools instanceof JsonArray array) || array.isEmpty()) {
      return;   // a tool choice or parallel calls without tools mean nothing, and chat upstreams refuse them
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < array.size(); i++) {
      JsonObject tool = array.getJsonObject(i);
      JsonObject function = new JsonObject().put("name", tool.getString("name"));
      for (String key : new String[] {"description", "parameters", "strict"}) {
        if (tool.getValue(key) != null) {
          function.put(key, tool.getValue(key));
        }
      }
      out.add(new JsonObject().put("type", "function").put("function", function));
    }
    chat.put("tools", out);
    if (parallel instanceof Boolean allowed) {
      chat.put("parallel_tool_calls", allowed);
    }
    if (choice instanceof String mode) {
      chat.put("tool_choice", mode);
    } else if (choice instanceof JsonObject named) {
      chat.put("tool_choice", new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", named.getString("name"))));
    }
  }
}
