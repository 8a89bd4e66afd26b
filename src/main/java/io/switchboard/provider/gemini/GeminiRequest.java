package io.switchboard.provider.gemini;

import io.switchboard.config.ModelConfig;
import io.switchboard.openai.ChatRequest;
import io.switchboard.provider.DroppedFeatures;
import io.switchboard.provider.ImageUrls;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI chat request as a Gemini {@code generateContent} request: {@code contents} with roles user and model,
 * system messages as {@code systemInstruction}, images as inline data, tools as function declarations, and tool
 * results as {@code functionResponse} parts named after the call they answer (Gemini keys them by name).
 */
final class GeminiRequest {

  private static final Set<String> KNOWN = Set.of("model", "messages", "stream", "stream_options", "max_tokens",
    "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "presence_penalty",
    "frequency_penalty", "seed", "response_format");

  private GeminiRequest() {
  }

  static JsonObject translate(ChatRequest request, ModelConfig model, DroppedFeatures dropped) {
    JsonObject in = request.body();
    JsonObject out = new JsonObject();
    JsonArray system = new JsonArray();
    JsonArray contents = new JsonArray();
    Map<String, String> callNames = new HashMap<>();
    JsonArray messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      switch (message.getString("role")) {
        case "system", "developer" -> system.addAll(parts(message.getValue("content"), dropped));
        case "user" -> append(contents, "user", parts(message.getValue("content"), dropped));
        case "assistant" -> append(contents, "model", model(message, callNames, dropped));
        case "tool" -> append(contents, "user", new JsonArray().add(functionResponse(message, callNames)));
        default -> dropped.add("function-role messages");
      }
    }
    out.put("contents", contents);
    if (!system.isEmpty()) {
      out.put("systemInstruction", new JsonObject().put("parts", system));
    }
    tools(in, out, dropped);
    JsonObject generation = new JsonObject();
    if (request.maxOutputTokens() > 0) {
      generation.put("maxOutputTokens", request.maxOutputTokens());
    }
    copy(in, "temperature", generation, "temperature");
    copy(in, "top_p", generation, "topP");
    copy(in, "presence_penalty", generation, "presencePenalty");
    copy(in, "frequency_penalty", generation, "frequencyPenalty");
    copy(in, "seed", generation, "seed");
    Object stop = in.getValue("stop");
    if (stop instanceof String s) {
      generation.put("stopSequences", new JsonArray().add(s));
    } else if (stop instanceof JsonArray list && !list.isEmpty()) {
      generation.put("stopSequences", list.copy());
    }
    if (in.getValue("response_format") instanceof JsonObject format) {
      switch (format.getString("type", "")) {
        case "json_object" -> generation.put("responseMimeType", "application/json");
        case "json_schema" -> {
          generation.put("responseMimeType", "application/json");
          if (format.getValue("json_schema") instanceof JsonObject named
            && named.getValue("schema") instanceof JsonObject s) {
            generation.put("responseJsonSchema", s.copy());
          }
        }
        default -> {
          // "text" is what Gemini does anyway
        }
      }
    }
    if (!generation.isEmpty()) {
      out.put("generationConfig", generation);
    }
    for (String field : in.fieldNames()) {
      if (!KNOWN.contains(field) && in.getValue(field) != null) {
        dropped.add(field);
      }
    }
    return out;
  }

  /** Adds a turn, merged into the previous one when it has the same role (parallel tool results share a turn). */
  private static void append(JsonArray contents, String role, JsonArray parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonObject last = contents.isEmpty() ? null : contents.getJsonObject(contents.size() - 1);
    if (last != null && last.getString("role").equals(role)) {
      last.getJsonArray("parts").addAll(parts);
    } else {
      contents.add(new JsonObject().put("role", role).put("parts", parts));
    }
  }

  private static JsonArray parts(Object content, DroppedFeatures dropped) {
    JsonArray parts = new JsonArray();
    if (content instanceof String text) {
      if (!text.isEmpty()) {
        parts.add(new JsonObject().put("text", text));
      }
      return parts;
    }
    if (!(content instanceof JsonArray list)) {
      return parts;
    }
    for (int p = 0; p < list.size(); p++) {
      JsonObject part = list.getJsonObject(p);
      String type = part.getString("type");
      JsonObject translated = switch (type) {
        case "text", "refusal" -> part.getValue(type) instanceof String s && !s.isEmpty()
          ? new JsonObject().put("text", s) : new JsonObject();
        case "image_url" -> media(part.getValue("image_url") instanceof JsonObject i ? i.getString("url") : null);
        case "file" -> media(part.getValue("file") instanceof JsonObject file ? file.getString("file_data") : null);
        default -> null;
      };
      if (translated == null) {
        dropped.add(type + " content parts");
      } else if (!translated.isEmpty()) {
        parts.add(translated);
      }
      if (part.containsKey("cache_control")) {
        dropped.add("cache_control");
      }
    }
    return parts;
  }

  /** A data URL as inline data; an http(s) URL as file data (the provider fetches it). */
  private static JsonObject media(String url) {
    ImageUrls parsed = ImageUrls.parse(url);
    if (parsed == null) {
      return null;
    }
    return parsed.inline()
      ? new JsonObject().put("inlineData",
        new JsonObject().put("mimeType", parsed.mediaType()).put("data", parsed.base64()))
      : new JsonObject().put("fileData",
        new JsonObject().put("mimeType", parsed.mediaType()).put("fileUri", parsed.url()));
  }

  private static JsonArray model(JsonObject message, Map<String, String> callNames, DroppedFeatures dropped) {
    JsonArray parts = parts(message.getValue("content"), dropped);
    if (message.containsKey("thinking_blocks")) {
      dropped.add("thinking blocks");
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int c = 0; c < calls.size(); c++) {
        JsonObject call = calls.getJsonObject(c);
        JsonObject function = call.getJsonObject("function", new JsonObject());
        String name = function.getString("name");
        callNames.put(call.getString("id"), name);
        parts.add(new JsonObject().put("functionCall", new JsonObject().put("name", name)
          .put("args", arguments(function.getValue("arguments")))));
      }
    }
    return parts;
  }

  /** Tool-call arguments as an object; what is not a JSON object is kept as a string under "arguments". */
  private static JsonObject arguments(Object arguments) {
    if (!(arguments instanceof String text) || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject().put("arguments", text);
    }
  }

  /** A tool result: its JSON object as the response, or its text under "content". */
  private static JsonObject functionResponse(JsonObject message, Map<String, String> callNames) {
    String id = message.getString("tool_call_id");
    Object content = message.getValue("content");
    String text;
    if (content instanceof JsonArray parts) {
      StringBuilder joined = new StringBuilder();
      for (int p = 0; p < parts.size(); p++) {
        if (parts.getValue(p) instanceof JsonObject part && part.getValue("text") instanceof String s) {
          joined.append(s);
        }
      }
      text = joined.toString();
    } else {
      text = content instanceof String s ? s : "";
    }
    JsonObject response;
    try {
      response = text.startsWith("{") ? new JsonObject(text) : new JsonObject().put("content", text);
    } catch (DecodeException e) {
      response = new JsonObject().put("content", text);
    }
    return new JsonObject().put("functionResponse", new JsonObject()
      .put("name", callNames.getOrDefault(id, id)).put("response", response));
  }

  private static void tools(JsonObject in, JsonObject out, DroppedFeatures dropped) {
    if (in.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
      JsonArray declarations = new JsonArray();
      for (int t = 0; t < tools.size(); t++) {
        if (!(tools.getValue(t) instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject fn)) {
          dropped.add("tools that are not functions");
          continue;
        }
        JsonObject declared = new JsonObject().put("name", fn.getString("name"));
        if (fn.getValue("description") instanceof String description) {
          declared.put("description", description);
        }
        if (fn.getValue("parameters") instanceof JsonObject schema) {
          // the JSON-Schema field: Gemini's own "parameters" takes only an OpenAPI subset
          declared.put("parametersJsonSchema", schema.copy());
        }
        declarations.add(declared);
      }
      if (!declarations.isEmpty()) {
        out.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
      }
    }
    Object choice = in.getValue("tool_choice");
    JsonObject config = null;
    if (choice instanceof String mode) {
      config = new JsonObject().put("mode", switch (mode) {
        case "none" -> "NONE";
        case "required" -> "ANY";
        default -> "AUTO";
      });
    } else if (choice instanceof JsonObject named && named.getValue("function") instanceof JsonObject fn) {
      config = new JsonObject().put("mode", "ANY")
        .put("allowedFunctionNames", new JsonArray().add(fn.getString("name")));
    }
    if (config != null && out.containsKey("tools")) {
      out.put("toolConfig", new JsonObject().put("functionCallingConfig", config));
    }
  }

  private static void copy(JsonObject in, String from, JsonObject out, String to) {
    if (in.getValue(from) != null) {
      out.put(to, in.getValue(from));
    }
  }
}
