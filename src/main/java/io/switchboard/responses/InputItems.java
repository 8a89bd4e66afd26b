package io.switchboard.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The {@code input} of a Responses request: validated and normalised into items ({@link #normalise}), and translated
 * into chat messages ({@link #toMessages}). Messages keep their role ({@code developer} becomes {@code system});
 * {@code input_text} and {@code output_text} parts become text, {@code input_image} an {@code image_url} part,
 * {@code input_file} with inline data a {@code file} part; {@code function_call} items become the {@code tool_calls}
 * of an assistant message (joined to the assistant text just before them) and {@code function_call_output} items
 * {@code tool} messages. Reasoning items carry another model's private state and are left out.
 */
final class InputItems {

  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
  private static final Set<String> MESSAGE_FIELDS = Set.of("type", "role", "content", "id", "status");
  private static final Set<String> CALL_FIELDS = Set.of("type", "call_id", "name", "arguments", "id", "status");
  private static final Set<String> OUTPUT_FIELDS = Set.of("type", "call_id", "output", "id", "status");
  static final String REASONING_ITEMS = "reasoning items";

  private InputItems() {
  }

  /** The request's {@code input} as a list of items: a string is one user message. */
  static JsonArray normalise(Object input, Set<String> dropped) {
    if (input instanceof String text) {
      return new JsonArray().add(message("user", new JsonArray().add(part("input_text", text))));
    }
    if (!(input instanceof JsonArray items)) {
      throw input == null ? Invalid.missing("input") : Invalid.type("input", "a string or an array of input items");
    }
    if (items.isEmpty()) {
      throw Invalid.value("input", "'input' must hold at least one item");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      String at = "input[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw Invalid.type(at, "an object");
      }
      Object type = item.getValue("type");
      if (type == null && item.containsKey("role")) {
        type = "message";
      }
      if (!(type instanceof String kind)) {
        throw Invalid.type(at + ".type", "a string");
      }
      switch (kind) {
        case "message" -> out.add(normaliseMessage(item, at));
        case "function_call" -> out.add(functionCall(item, at));
        case "function_call_output" -> out.add(functionCallOutput(item, at));
        case "reasoning" -> dropped.add(REASONING_ITEMS);
        default -> throw Invalid.unsupported(at + ".type", "Input items of type '" + Invalid.abbreviate(kind)
          + "' are not supported by this gateway (supported: message, function_call, function_call_output)");
      }
    }
    return out;
  }

  private static JsonObject normaliseMessage(JsonObject item, String at) {
    allowOnly(item, MESSAGE_FIELDS, at);
    if (!(item.getValue("role") instanceof String role) || !ROLES.contains(role)) {
      throw Invalid.value(at + ".role", "'" + at + ".role' must be one of user, assistant, system, developer");
    }
    Object content = item.getValue("content");
    JsonArray parts = new JsonArray();
    if (content instanceof String text) {
      parts.add(part(role.equals("assistant") ? "output_text" : "input_text", text));
    } else if (content instanceof JsonArray given) {
      for (int p = 0; p < given.size(); p++) {
        parts.add(contentPart(given.getValue(p), role, at + ".content[" + p + "]"));
      }
    } else {
      throw content == null ? Invalid.missing(at + ".content")
        : Invalid.type(at + ".content", "a string or an array of content parts");
    }
    return message(role, parts);
  }

  private static JsonObject contentPart(Object value, String role, String at) {
    if (!(value instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
      throw Invalid.type(at, "an object with a string 'type'");
    }
    switch (type) {
      case "input_text", "output_text" -> {
        return part(type, requireString(part, "text", at));
      }
      case "refusal" -> {
        return new JsonObject().put("type", "refusal").put("refusal", requireString(part, "refusal", at));
      }
      case "input_image" -> {
        if (!role.equals("user")) {
          throw Invalid.unsupported(at + ".type", "Images are only supported in user messages");
        }
        if (!(part.getValue("image_url") instanceof String url) || url.isEmpty()) {
          throw part.containsKey("file_id")
            ? Invalid.unsupported(at + ".file_id", "Images by 'file_id' are not supported by this gateway: "
              + "send an 'image_url' (an https or data: URL)")
            : Invalid.missing(at + ".image_url");
        }
        JsonObject image = new JsonObject().put("type", "input_image").put("image_url", url);
        if (part.getValue("detail") instanceof String detail) {
          image.put("detail", detail);
        }
        return image;
      }
      case "input_file" -> {
        if (!role.equals("user")) {
          throw Invalid.unsupported(at + ".type", "Files are only supported in user messages");
        }
        if (!(part.getValue("file_data") instanceof String data) || data.isEmpty()) {
          throw Invalid.unsupported(at + ".file_data", "Files are only supported inline ('file_data'), "
            + "not by 'file_id' or 'file_url'");
        }
        JsonObject file = new JsonObject().put("type", "input_file").put("file_data", data);
        if (part.getValue("filename") instanceof String name) {
          file.put("filename", name);
        }
        return file;
      }
      default -> throw Invalid.unsupported(at + ".type", "Content parts of type '" + Invalid.abbreviate(type)
        + "' are not supported (supported: input_text, output_text, refusal, input_image, input_file)");
    }
  }

  private static JsonObject functionCall(JsonObject item, String at) {
    allowOnly(item, CALL_FIELDS, at);
    JsonObject call = new JsonObject().put("type", "function_call")
      .put("call_id", requireString(item, "call_id", at))
      .put("name", requireString(item, "name", at))
      .put("arguments", requireString(item, "arguments", at));
    if (item.getValue("id") instanceof String id) {
      call.put("id", id);
    }
    return call;
  }

  private static JsonObject functionCallOutput(JsonObject item, String at) {
    allowOnly(item, OUTPUT_FIELDS, at);
    String callId = requireString(item, "call_id", at);
    Object output = item.getValue("output");
    String text;
    if (output instanceof String s) {
      text = s;
    } else if (output instanceof JsonArray parts) {
      StringBuilder joined = new StringBuilder();
      for (int p = 0; p < parts.size(); p++) {
        String partAt = at + ".output[" + p + "]";
        if (!(parts.getValue(p) instanceof JsonObject part) || !"input_text".equals(part.getValue("type"))) {
          throw Invalid.unsupported(partAt, "Function call outputs may hold text parts (input_text) only");
        }
        joined.append(requireString(part, "text", partAt));
      }
      text = joined.toString();
    } else {
      throw output == null ? Invalid.missing(at + ".output") : Invalid.type(at + ".output", "a string");
    }
    return new JsonObject().put("type", "function_call_output").put("call_id", callId).put("output", text);
  }

  /** The chat messages of normalised items, appended to {@code messages}. */
  static void toMessages(JsonArray items, JsonArray messages) {
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      switch (item.getString("type")) {
        case "message" -> messages.add(chatMessage(item));
        case "function_call" -> {
          JsonObject call = new JsonObject().put("id", item.getString("call_id")).put("type", "function")
            .put("function", new JsonObject().put("name", item.getString("name"))
              .put("arguments", item.getString("arguments")));
          JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
          if (last != null && "assistant".equals(last.getString("role"))) {
            JsonArray calls = last.getJsonArray("tool_calls");
            if (calls == null) {
              calls = new JsonArray();
              last.put("tool_calls", calls);
            }
            calls.add(call);
          } else {
            messages.add(new JsonObject().put("role", "assistant").putNull("content")
              .put("tool_calls", new JsonArray().add(call)));
          }
        }
        case "function_call_output" -> messages.add(new JsonObject().put("role", "tool")
          .put("tool_call_id", item.getString("call_id")).put("content", item.getString("output")));
        default -> {
          // items are normalised before they are stored or translated: nothing else is kept
        }
      }
    }
  }

  private static JsonObject chatMessage(JsonObject item) {
    String role = item.getString("role");
    JsonArray parts = item.getJsonArray("content");
    boolean textOnly = parts.stream().allMatch(p -> p instanceof JsonObject part
      && !"input_image".equals(part.getValue("type")) && !"input_file".equals(part.getValue("type")));
    String chatRole = role.equals("developer") ? "system" : role;
    if (textOnly) {
      StringBuilder text = new StringBuilder();
      for (int p = 0; p < parts.size(); p++) {
        JsonObject part = parts.getJsonObject(p);
        text.append(part.getString("refusal".equals(part.getString("type")) ? "refusal" : "text", ""));
      }
      return new JsonObject().put("role", chatRole).put("content", text.toString());
    }
    JsonArray content = new JsonArray();
    for (int p = 0; p < parts.size(); p++) {
      JsonObject part = parts.getJsonObject(p);
      switch (part.getString("type")) {
        case "input_image" -> {
          JsonObject url = new JsonObject().put("url", part.getString("image_url"));
          if (part.getValue("detail") instanceof String detail) {
            url.put("detail", detail);
          }
          content.add(new JsonObject().put("type", "image_url").put("image_url", url));
        }
        case "input_file" -> {
          JsonObject file = new JsonObject().put("file_data", part.getString("file_data"));
          if (part.getValue("filename") instanceof String name) {
            file.put("filename", name);
          }
          content.add(new JsonObject().put("type", "file").put("file", file));
        }
        default -> content.add(new JsonObject().put("type", "text").put("text", part.getString("text", "")));
      }
    }
    return new JsonObject().put("role", chatRole).put("content", content);
  }

  private static JsonObject message(String role, JsonArray parts) {
    return new JsonObject().put("type", "message").put("role", role).put("content", parts);
  }

  private static JsonObject part(String type, String text) {
    return new JsonObject().put("type", type).put("text", text);
  }

  private static String requireString(JsonObject object, String key, String at) {
    Object value = object.getValue(key);
    if (!(value instanceof String s)) {
      throw value == null ? Invalid.missing(at + "." + key) : Invalid.type(at + "." + key, "a string");
    }
    return s;
  }

  private static void allowOnly(JsonObject item, Set<String> fields, String at) {
    for (String key : item.fieldNames()) {
      if (!fields.contains(key)) {
        throw Invalid.unsupported(at + "." + Invalid.abbreviate(key),
          "'" + Invalid.abbreviate(key) + "' is not supported on this kind of input item");
      }
    }
  }
}
