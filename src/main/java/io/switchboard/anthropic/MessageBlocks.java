package io.switchboard.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Anthropic {@code messages} to OpenAI chat messages. A user turn's {@code tool_result} blocks become {@code tool}
 * messages (first, as OpenAI wants them right after the assistant's calls), its other blocks one user message; an
 * assistant turn's {@code tool_use} blocks become {@code tool_calls}. Blocks the chat form cannot hold (thinking and
 * its signatures, {@code cache_control} markers, server-tool blocks, {@code is_error}) are left out and named in
 * {@code dropped}; every other block keeps its place and its text.
 */
final class MessageBlocks {

  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final Set<String> SERVER_BLOCKS = Set.of("server_tool_use", "web_search_tool_result",
    "web_fetch_tool_result", "code_execution_tool_result", "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result", "mcp_tool_use", "mcp_tool_result", "container_upload");

  private final Set<String> dropped;

  MessageBlocks(Set<String> dropped) {
    this.dropped = dropped;
  }

  /** Appends the chat messages of Anthropic message {@code i} to {@code out}. */
  void translate(Object value, int i, JsonArray out) {
    String at = "messages[" + i + "]";
    if (!(value instanceof JsonObject message)) {
      throw Invalid.type(at, "an object");
    }
    Object role = message.getValue("role");
    if (!"user".equals(role) && !"assistant".equals(role) && !"system".equals(role)) {
      throw Invalid.value(at + ".role", "'" + at + ".role' must be 'user', 'assistant' or 'system'");
    }
    Object content = message.getValue("content");
    if (content == null) {
      throw Invalid.missing(at + ".content");
    }
    if (content instanceof String text) {
      out.add(new JsonObject().put("role", role).put("content", text));
      return;
    }
    if (!(content instanceof JsonArray blocks)) {
      throw Invalid.type(at + ".content", "a string or an array of content blocks");
    }
    if (role.equals("system")) {
      out.add(new JsonObject().put("role", "system").put("content", systemParts(blocks, at + ".content", dropped)));
    } else if (role.equals("user")) {
      user(blocks, at, out);
    } else {
      assistant(blocks, at, out);
    }
  }

  /** System prompt blocks (the top-level {@code system} or a system message) as text parts, one per block. */
  static JsonArray systemParts(JsonArray blocks, String at, Set<String> dropped) {
    JsonArray parts = new JsonArray();
    for (int i = 0; i < blocks.size(); i++) {
      String where = at + "[" + i + "]";
      if (!(blocks.getValue(i) instanceof JsonObject block) || !"text".equals(block.getValue("type"))
        || !(block.getValue("text") instanceof String text)) {
        throw Invalid.type(where, "a text block ({\"type\":\"text\",\"text\":...})");
      }
      if (block.containsKey("cache_control")) {
        dropped.add("cache_control");
      }
      parts.add(new JsonObject().put("type", "text").put("text", text));
    }
    return parts;
  }

  private void user(JsonArray blocks, String at, JsonArray out) {
    JsonArray parts = new JsonArray();
    JsonArray toolImages = new JsonArray();
    for (int b = 0; b < blocks.size(); b++) {
      String where = at + ".content[" + b + "]";
      JsonObject block = block(blocks.getValue(b), where);
      switch (block.getString("type")) {
        case "tool_result" -> out.add(toolResult(block, where, toolImages));
        case "tool_use" -> throw Invalid.value(where + ".type", "'tool_use' blocks belong in assistant messages");
        default -> {
          JsonObject part = part(block, where);
          if (part != null) {
            parts.add(part);
          }
        }
      }
    }
    // OpenAI tool messages hold text only: a tool result's images follow as a user message of their own
    parts = toolImages.addAll(parts);
    if (!parts.isEmpty()) {
      out.add(new JsonObject().put("role", "user").put("content", parts));
    }
  }

  private void assistant(JsonArray blocks, String at, JsonArray out) {
    JsonArray texts = new JsonArray();
    JsonArray calls = new JsonArray();
    for (int b = 0; b < blocks.size(); b++) {
      String where = at + ".content[" + b + "]";
      JsonObject block = block(blocks.getValue(b), where);
      switch (block.getString("type")) {
        case "text" -> texts.add(new JsonObject().put("type", "text").put("text", text(block, where)));
        case "tool_use" -> calls.add(toolCall(block, where));
        case "thinking", "redacted_thinking" -> dropped.add("thinking blocks");
        case "tool_result", "image", "document" -> throw Invalid.value(where + ".type",
          "'" + block.getString("type") + "' blocks belong in user messages");
        default -> serverBlock(block, where);
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    if (texts.size() == 1) {
      message.put("content", texts.getJsonObject(0).getString("text"));
    } else if (!texts.isEmpty()) {
      message.put("content", texts);
    } else {
      message.putNull("content");
    }
    if (!calls.isEmpty()) {
      message.put("tool_calls", calls);
    } else if (texts.isEmpty()) {
      message.put("content", "");   // every block was dropped: an empty turn keeps the alternation intact
    }
    out.add(message);
  }

  /** A user block other than a tool result as an OpenAI content part; null for a block that is dropped. */
  private JsonObject part(JsonObject block, String where) {
    return switch (block.getString("type")) {
      case "text" -> new JsonObject().put("type", "text").put("text", text(block, where));
      case "image" -> image(block, where);
      case "document" -> document(block, where);
      case "thinking", "redacted_thinking" -> {
        dropped.add("thinking blocks");
        yield null;
      }
      default -> {
        serverBlock(block, where);
        yield null;
      }
    };
  }

  private void serverBlock(JsonObject block, String where) {
    if (!SERVER_BLOCKS.contains(block.getString("type"))) {
      throw Invalid.value(where + ".type", "Unsupported content block type '" + abbreviate(block.getString("type"))
        + "'");
    }
    dropped.add("server tool blocks");
  }

  private JsonObject block(Object value, String where) {
    if (!(value instanceof JsonObject block) || !(block.getValue("type") instanceof String)) {
      throw Invalid.type(where, "an object with a string 'type'");
    }
    if (block.containsKey("cache_control")) {
      dropped.add("cache_control");
    }
    if (block.containsKey("citations") && block.getValue("citations") != null) {
      dropped.add("citations");
    }
    return block;
  }

  private static String text(JsonObject block, String where) {
    if (!(block.getValue("text") instanceof String text)) {
      throw block.containsKey("text") ? Invalid.type(where + ".text", "a string") : Invalid.missing(where + ".text");
    }
    return text;
  }

  private static JsonObject image(JsonObject block, String where) {
    JsonObject source = source(block, where);
    String url = switch (String.valueOf(source.getValue("type"))) {
      case "base64" -> {
        Object mediaType = source.getValue("media_type");
        if (!(mediaType instanceof String type) || !IMAGE_TYPES.contains(type)) {
          throw Invalid.value(where + ".source.media_type",
            "'" + where + ".source.media_type' must be one of image/jpeg, image/png, image/gif, image/webp");
        }
        yield "data:" + type + ";base64," + data(source, where);
      }
      case "url" -> url(source, where);
      default -> throw Invalid.value(where + ".source.type", "'" + where + ".source.type' must be 'base64' or 'url' "
        + "(file references cannot be resolved by the gateway)");
    };
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static JsonObject document(JsonObject block, String where) {
    JsonObject source = source(block, where);
    String type = String.valueOf(source.getValue("type"));
    if (type.equals("text")) {
      return new JsonObject().put("type", "text").put("text", data(source, where));
    }
    if (type.equals("base64") && "application/pdf".equals(source.getValue("media_type"))) {
      JsonObject file = new JsonObject().put("file_data", "data:application/pdf;base64," + data(source, where));
      file.put("filename", block.getValue("title") instanceof String title ? title : "document.pdf");
      return new JsonObject().put("type", "file").put("file", file);
    }
    throw Invalid.value(where + ".source", "'" + where + ".source' must be a base64 PDF or plain text (URL and file "
      + "documents cannot be passed on to an OpenAI-compatible model)");
  }

  private static JsonObject source(JsonObject block, String where) {
    if (!(block.getValue("source") instanceof JsonObject source)) {
      throw block.containsKey("source") ? Invalid.type(where + ".source", "an object") : Invalid.missing(where + ".source");
    }
    return source;
  }

  private static String data(JsonObject source, String where) {
    if (!(source.getValue("data") instanceof String data)) {
      throw Invalid.missing(where + ".source.data");
    }
    return data;
  }

  private static String url(JsonObject source, String where) {
    if (!(source.getValue("url") instanceof String url) || url.isBlank()) {
      throw Invalid.missing(where + ".source.url");
    }
    return url;
  }

  private JsonObject toolResult(JsonObject block, String where, JsonArray images) {
    if (!(block.getValue("tool_use_id") instanceof String id) || id.isEmpty()) {
      throw Invalid.missing(where + ".tool_use_id");
    }
    if (block.getValue("is_error") != null) {
      dropped.add("tool_result.is_error");
    }
    Object content = block.getValue("content");
    JsonObject message = new JsonObject().put("role", "tool").put("tool_call_id", id);
    if (content == null || content instanceof String) {
      return message.put("content", content == null ? "" : content);
    }
    if (!(content instanceof JsonArray blocks)) {
      throw Invalid.type(where + ".content", "a string or an array of content blocks");
    }
    JsonArray texts = new JsonArray();
    for (int c = 0; c < blocks.size(); c++) {
      String inner = where + ".content[" + c + "]";
      JsonObject part = part(block(blocks.getValue(c), inner), inner);
      if (part == null) {
        continue;
      }
      if (part.getString("type").equals("text")) {
        texts.add(part);
      } else {
        images.add(part);
      }
    }
    return message.put("content", texts.size() == 1 ? texts.getJsonObject(0).getString("text") : texts.isEmpty() ? ""
      : texts);
  }

  private static JsonObject toolCall(JsonObject block, String where) {
    if (!(block.getValue("id") instanceof String id) || id.isEmpty()) {
      throw Invalid.missing(where + ".id");
    }
    if (!(block.getValue("name") instanceof String name) || name.isEmpty()) {
      throw Invalid.missing(where + ".name");
    }
    Object input = block.getValue("input");
    if (!(input instanceof JsonObject arguments)) {
      throw input == null ? Invalid.missing(where + ".input") : Invalid.type(where + ".input", "an object");
    }
    return new JsonObject().put("id", id).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments.encode()));
  }

  static String abbreviate(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }
}
