package io.switchboard.provider.anthropic;

import io.switchboard.config.ModelConfig;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.switchboard.provider.DroppedFeatures;
import io.switchboard.provider.ImageUrls;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * An OpenAI chat request as an Anthropic Messages request: system and developer messages become {@code system},
 * tool results become {@code tool_result} blocks of a user turn (consecutive turns of one role are merged, as
 * Anthropic wants them alternating), {@code cache_control} marks are kept wherever they are on a part or a tool.
 */
final class AnthropicRequest {

  /** Fields translated below, or passed on because Anthropic has them under the same name. */
  private static final Set<String> KNOWN = Set.of("model", "messages", "stream", "stream_options", "max_tokens",
    "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "user",
    "safety_identifier", "metadata", "thinking", "top_k");

  private AnthropicRequest() {
  }

  static JsonObject translate(ChatRequest request, ModelConfig model, DroppedFeatures dropped) {
    JsonObject in = request.body();
    JsonObject out = new JsonObject().put("model", model.upstream());
    JsonArray system = new JsonArray();
    JsonArray messages = new JsonArray();
    JsonArray source = request.messages();
    for (int i = 0; i < source.size(); i++) {
      JsonObject message = source.getJsonObject(i);
      switch (message.getString("role")) {
        case "system", "developer" -> system.addAll(blocks(message.getValue("content"), dropped));
        case "user" -> append(messages, "user", blocks(message.getValue("content"), dropped));
        case "assistant" -> append(messages, "assistant", assistant(message, i, dropped));
        case "tool" -> append(messages, "user", new JsonArray().add(toolResult(message, dropped)));
        default -> dropped.add("function-role messages");
      }
    }
    if (!system.isEmpty()) {
      out.put("system", system);
    }
    out.put("messages", messages);
    out.put("max_tokens", request.maxOutputTokens() > 0 ? request.maxOutputTokens() : model.maxOutput());
    if (in.getValue("temperature") instanceof Number t) {
      if (t.doubleValue() > 1) {
        dropped.add("temperature above 1 (sent as 1)");
      }
      out.put("temperature", Math.min(1.0, t.doubleValue()));
    }
    copy(in, out, "top_p");
    copy(in, out, "top_k");
    copy(in, out, "thinking");
    Object stop = in.getValue("stop");
    if (stop instanceof String s) {
      out.put("stop_sequences", new JsonArray().add(s));
    } else if (stop instanceof JsonArray list && !list.isEmpty()) {
      out.put("stop_sequences", list.copy());
    }
    tools(in, out, dropped);
    String user = in.getValue("user") instanceof String u ? u
      : in.getValue("safety_identifier") instanceof String s ? s
      : in.getValue("metadata") instanceof JsonObject m && m.getValue("user_id") instanceof String id ? id : null;
    if (user != null) {
      out.put("metadata", new JsonObject().put("user_id", user));
    }
    if (request.stream()) {
      out.put("stream", true);
    }
    for (String field : in.fieldNames()) {
      if (!KNOWN.contains(field) && in.getValue(field) != null) {
        dropped.add(field);
      }
    }
    return out;
  }

  /** Adds a turn, merged into the previous one when it has the same role; tool results stay first in a turn. */
  private static void append(JsonArray messages, String role, JsonArray blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last != null && last.getString("role").equals(role)) {
      JsonArray merged = last.getJsonArray("content");
      if (isToolResult(blocks.getJsonObject(0)) && !isToolResult(merged.getJsonObject(merged.size() - 1))) {
        JsonArray front = blocks.copy();
        front.addAll(merged);
        last.put("content", front);
      } else {
        merged.addAll(blocks);
      }
      return;
    }
    messages.add(new JsonObject().put("role", role).put("content", blocks));
  }

  private static boolean isToolResult(JsonObject block) {
    return "tool_result".equals(block.getString("type"));
  }

  /** OpenAI content (a string or parts) as Anthropic content blocks. */
  private static JsonArray blocks(Object content, DroppedFeatures dropped) {
    JsonArray blocks = new JsonArray();
    if (content instanceof String text) {
      if (!text.isEmpty()) {
        blocks.add(new JsonObject().put("type", "text").put("text", text));
      }
      return blocks;
    }
    if (!(content instanceof JsonArray parts)) {
      return blocks;
    }
    for (int p = 0; p < parts.size(); p++) {
      JsonObject part = parts.getJsonObject(p);
      JsonObject block = switch (part.getString("type")) {
        case "text", "refusal" -> text(part);
        case "image_url" ->
          image(part.getValue("image_url") instanceof JsonObject i ? i.getString("url") : null, "image");
        case "file" -> part.getValue("file") instanceof JsonObject f && f.getValue("file_data") instanceof String data
          ? image(data, "document") : null;
        default -> null;
      };
      if (block == null) {
        dropped.add(part.getString("type") + " content parts");
        continue;
      }
      if (part.getValue("cache_control") instanceof JsonObject cache) {
        block.put("cache_control", cache.copy());
      }
      if (!"text".equals(block.getString("type")) || !block.getString("text").isEmpty()) {
        blocks.add(block);
      }
    }
    return blocks;
  }

  private static JsonObject text(JsonObject part) {
    Object text = part.getValue("text") != null ? part.getValue("text") : part.getValue("refusal");
    return new JsonObject().put("type", "text").put("text", text instanceof String s ? s : "");
  }

  /** A data URL becomes a base64 source, an http(s) URL a url source; anything else is dropped. */
  private static JsonObject image(String url, String type) {
    ImageUrls parsed = ImageUrls.parse(url);
    if (parsed == null) {
      return null;
    }
    JsonObject source = parsed.inline()
      ? new JsonObject().put("type", "base64").put("media_type", parsed.mediaType()).put("data", parsed.base64())
      : new JsonObject().put("type", "url").put("url", parsed.url());
    return new JsonObject().put("type", type).put("source", source);
  }

  private static JsonArray assistant(JsonObject message, int index, DroppedFeatures dropped) {
    JsonArray blocks = new JsonArray();
    // thinking blocks (with their signatures) that a previous Anthropic answer carried, in LiteLLM's field
    if (message.getValue("thinking_blocks") instanceof JsonArray thinking) {
      for (int t = 0; t < thinking.size(); t++) {
        if (thinking.getValue(t) instanceof JsonObject block) {
          blocks.add(block.copy());
        }
      }
    }
    blocks.addAll(blocks(message.getValue("content"), dropped));
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int c = 0; c < calls.size(); c++) {
        JsonObject call = calls.getJsonObject(c);
        JsonObject function = call.getJsonObject("function", new JsonObject());
        blocks.add(new JsonObject().put("type", "tool_use").put("id", call.getString("id"))
          .put("name", function.getString("name"))
          .put("input", arguments(function.getValue("arguments"), "messages[" + index + "].tool_calls[" + c + "]")));
      }
    }
    return blocks;
  }

  /** Tool-call arguments (a JSON string) as the object Anthropic wants; an empty string is no arguments. */
  static JsonObject arguments(Object arguments, String param) {
    if (arguments instanceof JsonObject object) {
      return object.copy();
    }
    if (!(arguments instanceof String text) || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.invalid("invalid_value", param + ".function.arguments",
        "'" + param + ".function.arguments' must be a JSON object to be sent to an Anthropic model").exception();
    }
  }

  private static JsonObject toolResult(JsonObject message, DroppedFeatures dropped) {
    JsonObject result = new JsonObject().put("type", "tool_result")
      .put("tool_use_id", message.getString("tool_call_id"));
    Object content = message.getValue("content");
    if (content instanceof String text) {
      result.put("content", text);
    } else if (content instanceof JsonArray) {
      JsonArray blocks = blocks(content, dropped);
      if (!blocks.isEmpty()) {
        result.put("content", blocks);
      }
    }
    if (message.getValue("cache_control") instanceof JsonObject cache) {
      result.put("cache_control", cache.copy());
    }
    return result;
  }

  private static void tools(JsonObject in, JsonObject out, DroppedFeatures dropped) {
    if (in.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
      JsonArray translated = new JsonArray();
      for (int t = 0; t < tools.size(); t++) {
        if (!(tools.getValue(t) instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject fn)) {
          dropped.add("tools that are not functions");
          continue;
        }
        JsonObject schema = fn.getValue("parameters") instanceof JsonObject p ? p.copy()
          : new JsonObject().put("type", "object").put("properties", new JsonObject());
        JsonObject declared = new JsonObject().put("name", fn.getString("name"));
        if (fn.getValue("description") instanceof String description) {
          declared.put("description", description);
        }
        declared.put("input_schema", schema);
        if (tool.getValue("cache_control") instanceof JsonObject cache) {
          declared.put("cache_control", cache.copy());
        }
        translated.add(declared);
      }
      if (!translated.isEmpty()) {
        out.put("tools", translated);
      }
    }
    JsonObject choice = toolChoice(in.getValue("tool_choice"));
    if (Boolean.FALSE.equals(in.getValue("parallel_tool_calls")) && out.containsKey("tools")) {
      choice = choice == null ? new JsonObject().put("type", "auto") : choice;
      if (!"none".equals(choice.getString("type"))) {
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (choice != null && out.containsKey("tools")) {
      out.put("tool_choice", choice);
    }
  }

  private static JsonObject toolChoice(Object choice) {
    if (choice instanceof String mode) {
      return switch (mode) {
        case "none" -> new JsonObject().put("type", "none");
        case "required" -> new JsonObject().put("type", "any");
        default -> new JsonObject().put("type", "auto");
      };
    }
    if (choice instanceof JsonObject named && named.getValue("function") instanceof JsonObject fn) {
      return new JsonObject().put("type", "tool").put("name", fn.getString("name"));
    }
    return null;
  }

  private static void copy(JsonObject in, JsonObject out, String field) {
    if (in.getValue(field) != null) {
      out.put(field, in.getValue(field));
    }
  }
}
