package io.switchboard.openai;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated OpenAI chat-completions request. {@code body} is the client's JSON as parsed; fields the gateway
 * does not know stay in it and travel upstream untouched.
 *
 * @param maxOutputTokens {@code max_completion_tokens} or {@code max_tokens}; 0 when the client set neither
 * @param clientWantsUsage the client asked for {@code stream_options.include_usage}
 * @param options the gateway's own options, already removed from {@code body}
 * @param anthropicHeaders the client's {@code anthropic-version} and {@code anthropic-beta} headers (lower-case
 *                         names), forwarded to Anthropic upstreams; empty when the client sent none
 */
public record ChatRequest(JsonObject body, String model, JsonArray messages, boolean stream, boolean clientWantsUsage,
                          long maxOutputTokens, boolean toolsPresent, long toolsChars, long bodyBytes,
                          SwitchboardOptions options, Map<String, String> anthropicHeaders) {

  /** The headers a client may address to Anthropic upstreams through the gateway. */
  public static final Set<String> ANTHROPIC_HEADERS = Set.of("anthropic-version", "anthropic-beta");

  public ChatRequest {
    anthropicHeaders = Map.copyOf(anthropicHeaders);
  }

  static final int MAX_MODEL_LENGTH = 256;
  static final int MAX_MESSAGES = 100_000;
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  /** Fields that would let a caller redirect the upstream call or inject credentials. */
  private static final Set<String> FORBIDDEN = Set.of("api_key", "api_base", "base_url", "api_version", "extra_headers",
    "extra_body");

  public static ChatRequest parse(Buffer raw) {
    return from(StrictJson.parseObject(raw), raw.length());
  }

  public static ChatRequest from(JsonObject body, long bodyBytes) {
    for (String key : body.fieldNames()) {
      if (FORBIDDEN.contains(key)) {
        throw ApiError.invalid("forbidden_parameter", key, "The parameter '" + key + "' is not allowed: "
          + "upstream endpoints and credentials come from the gateway's configuration").exception();
      }
    }
    SwitchboardOptions gatewayOptions = SwitchboardOptions.takeFrom(body);
    String model = requireModel(body);
    JsonArray messages = requireMessages(body);
    boolean stream = optionalBoolean(body, "stream");
    boolean includeUsage = false;
    Object options = body.getValue("stream_options");
    if (options != null) {
      if (!(options instanceof JsonObject streamOptions)) {
        throw invalidType("stream_options", "an object");
      }
      if (!stream) {
        throw ApiError.invalid("invalid_value", "stream_options",
          "'stream_options' is only allowed when 'stream' is true").exception();
      }
      includeUsage = optionalBoolean(streamOptions, "include_usage");
    }
    long maxTokens = positiveInt(body, "max_tokens");
    long maxCompletionTokens = positiveInt(body, "max_completion_tokens");
    number(body, "temperature", 0, 2);
    number(body, "top_p", 0, 1);
    number(body, "presence_penalty", -2, 2);
    number(body, "frequency_penalty", -2, 2);
    long n = positiveInt(body, "n");
    if (n > 128) {
      throw ApiError.invalid("invalid_value", "n", "'n' must be at most 128").exception();
    }
    Object tools = body.getValue("tools");
    if (tools != null && !(tools instanceof JsonArray)) {
      throw invalidType("tools", "an array");
    }
    Object toolChoice = body.getValue("tool_choice");
    if (toolChoice != null && !(toolChoice instanceof String) && !(toolChoice instanceof JsonObject)) {
      throw invalidType("tool_choice", "a string or an object");
    }
    Object responseFormat = body.getValue("response_format");
    if (responseFormat != null
      && !(responseFormat instanceof JsonObject format && format.getValue("type") instanceof String)) {
      throw invalidType("response_format", "an object with a string 'type'");
    }
    boolean toolsPresent = tools instanceof JsonArray array && !array.isEmpty();
    long toolsChars = toolsPresent ? ((JsonArray) tools).encode().length() : 0;
    return new ChatRequest(body, model, messages, stream, includeUsage,
      maxCompletionTokens > 0 ? maxCompletionTokens : maxTokens, toolsPresent, toolsChars, bodyBytes, gatewayOptions,
      Map.of());
  }

  /** The same request carrying the client's Anthropic headers (others in {@code headers} are ignored). */
  public ChatRequest withAnthropicHeaders(Map<String, String> headers) {
    Map<String, String> kept = new HashMap<>();
    headers.forEach((name, value) -> {
      String key = name.toLowerCase(Locale.ROOT);
      if (ANTHROPIC_HEADERS.contains(key) && value != null) {
        kept.put(key, value);
      }
    });
    return new ChatRequest(body, model, messages, stream, clientWantsUsage, maxOutputTokens, toolsPresent, toolsChars,
      bodyBytes, options, kept);
  }

  private static String requireModel(JsonObject body) {
    Object model = body.getValue("model");
    if (!body.containsKey("model")) {
      throw ApiError.invalid("missing_required_parameter", "model", "The 'model' parameter is required: a model, "
        + "an alias or a routing policy such as 'auto'").exception();
    }
    if (!(model instanceof String name)) {
      throw invalidType("model", "a string");
    }
    if (name.isBlank() || name.length() > MAX_MODEL_LENGTH) {
      throw ApiError.invalid("invalid_value", "model",
        "'model' must be a non-empty string of at most " + MAX_MODEL_LENGTH + " characters").exception();
    }
    return name;
  }

  private static JsonArray requireMessages(JsonObject body) {
    Object value = body.getValue("messages");
    if (value == null) {
      throw ApiError.invalid("missing_required_parameter", "messages", "The 'messages' parameter is required").exception();
    }
    if (!(value instanceof JsonArray messages)) {
      throw invalidType("messages", "an array");
    }
    if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
      throw ApiError.invalid("invalid_value", "messages",
        "'messages' must hold between 1 and " + MAX_MESSAGES + " messages").exception();
    }
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages[" + i + "]";
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw invalidType(at, "an object");
      }
      Object role = message.getValue("role");
      if (!(role instanceof String r) || !ROLES.contains(r)) {
        throw ApiError.invalid("invalid_value", at + ".role",
          "'" + at + ".role' must be one of system, developer, user, assistant, tool").exception();
      }
      Object content = message.getValue("content");
      if (content != null && !(content instanceof String) && !(content instanceof JsonArray)) {
        throw invalidType(at + ".content", "a string or an array of content parts");
      }
      if (content == null && r.equals("user")) {
        throw ApiError.invalid("missing_required_parameter", at + ".content", "'" + at + ".content' is required")
          .exception();
      }
      if (content instanceof JsonArray parts) {
        for (int p = 0; p < parts.size(); p++) {
          if (!(parts.getValue(p) instanceof JsonObject part) || !(part.getValue("type") instanceof String)) {
            throw invalidType(at + ".content[" + p + "]", "an object with a string 'type'");
          }
        }
      }
      if (r.equals("tool") && !(message.getValue("tool_call_id") instanceof String)) {
        throw ApiError.invalid("missing_required_parameter", at + ".tool_call_id",
          "'" + at + ".tool_call_id' is required for tool messages").exception();
      }
    }
    return messages;
  }

  private static boolean optionalBoolean(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw invalidType(key, "a boolean");
    }
    return b;
  }

  private static long positiveInt(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      throw invalidType(key, "an integer");
    }
    long n = ((Number) value).longValue();
    if (n < 1 || n > 100_000_000) {
      throw ApiError.invalid("invalid_value", key, "'" + key + "' must be between 1 and 100000000").exception();
    }
    return n;
  }

  private static void number(JsonObject body, String key, double min, double max) {
    Object value = body.getValue(key);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n)) {
      throw invalidType(key, "a number");
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw ApiError.invalid("invalid_value", key, "'" + key + "' must be between " + min + " and " + max).exception();
    }
  }

  private static ApiException invalidType(String param, String expected) {
    return ApiError.invalid("invalid_type", param, "'" + param + "' must be " + expected).exception();
  }
}
