package io.switchboard.responses;

import io.switchboard.openai.ChatRequest;
import io.switchboard.openai.StrictJson;
import io.switchboard.openai.SwitchboardOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An OpenAI Responses request ({@code POST /v1/responses}), validated; {@link #chat} translates it, after the
 * conversation of its {@code previous_response_id}, into the gateway's internal OpenAI chat request. What the chat
 * form cannot carry but changes nothing the client relies on is named in {@link #dropped()}; what it cannot carry
 * and would change the answer is refused with a 400 naming the parameter.
 *
 * @param body the client's JSON as parsed (echoed into the Response object)
 * @param input the request's own input items, normalised ({@link InputItems})
 * @param previousResponseId the response this one continues, when set
 * @param store whether the finished response is kept (the API's default: true)
 * @param dropped features left out of the chat form, for one debug line per request
 */
public record ResponsesRequest(JsonObject body, String model, JsonArray input, Optional<String> previousResponseId,
                               boolean store, boolean stream, long bodyBytes, Set<String> dropped) {

  /** Parameters taken as they are, or translated. */
  private static final Set<String> KNOWN = Set.of("model", "input", "instructions", "tools", "tool_choice",
    "max_output_tokens", "temperature", "top_p", "text", "parallel_tool_calls", "user", "metadata", "store",
    "previous_response_id", "stream", "reasoning", "include", "prompt_cache_key", "safety_identifier", "service_tier",
    "truncation", "background", "stream_options", "top_logprobs", "max_tool_calls", SwitchboardOptions.FIELD);
  /** Accepted and left out: hints for OpenAI's own service that change nothing the client relies on. */
  private static final Set<String> HINTS = Set.of("prompt_cache_key", "safety_identifier", "service_tier",
    "max_tool_calls");
  static final String INCLUDABLE = "reasoning.encrypted_content";

  /** Parses and validates {@code POST /v1/responses}. */
  public static ResponsesRequest parse(Buffer raw) {
    JsonObject body = StrictJson.parseObject(raw);
    Set<String> dropped = new TreeSet<>();
    for (String key : body.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw Invalid.unsupported(Invalid.abbreviate(key), "'" + Invalid.abbreviate(key)
          + "' is not a parameter this gateway supports on /v1/responses");
      }
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      throw body.containsKey("model") ? Invalid.type("model", "a non-empty string") : Invalid.missing("model");
    }
    JsonArray input = InputItems.normalise(body.getValue("input"), dropped);
    optionalString(body, "instructions");
    optionalString(body, "user");
    Optional<String> previous = Optional.ofNullable(optionalString(body, "previous_response_id"));
    boolean store = bool(body, "store", true);
    boolean stream = bool(body, "stream", false);
    bool(body, "parallel_tool_calls", true);
    number(body, "temperature", 2);
    number(body, "top_p", 1);
    Object maxOutput = body.getValue("max_output_tokens");
    if (maxOutput != null && (!(maxOutput instanceof Integer || maxOutput instanceof Long)
      || ((Number) maxOutput).longValue() < 1 || ((Number) maxOutput).longValue() > 100_000_000)) {
      throw Invalid.value("max_output_tokens", "'max_output_tokens' must be an integer between 1 and 100000000");
    }
    metadata(body.getValue("metadata"));
    Tools.validate(body.getValue("tools"), body.getValue("tool_choice"));
    TextFormat.validate(body.getValue("text"), dropped);
    reasoning(body.getValue("reasoning"), dropped);
    include(body.getValue("include"));
    for (String hint : HINTS) {
      if (body.getValue(hint) != null) {
        dropped.add(hint);
      }
    }
    if (body.getValue("truncation") != null && !"disabled".equals(body.getValue("truncation"))) {
      throw Invalid.unsupported("truncation", "Only 'truncation: disabled' is supported: the gateway does not "
        + "drop items from a conversation that is too long");
    }
    if (body.getValue("background") != null && !Boolean.FALSE.equals(body.getValue("background"))) {
      throw Invalid.unsupported("background", "Background responses are not supported by this gateway");
    }
    Object logprobs = body.getValue("top_logprobs");
    if (logprobs != null && !(logprobs instanceof Number n && n.doubleValue() == 0)) {
      throw Invalid.unsupported("top_logprobs", "Log probabilities are not supported by this gateway");
    }
    if (body.getValue("stream_options") != null) {
      if (!stream) {
        throw Invalid.value("stream_options", "'stream_options' is only allowed when 'stream' is true");
      }
      dropped.add("stream_options");
    }
    return new ResponsesRequest(body, model, input, previous, store, stream, raw.length(), Set.copyOf(dropped));
  }

  /**
   * The internal chat request: the instructions as a system message, then {@code prior} (the conversation of the
   * response this one continues; empty for none) and this request's input as messages, with the tools, tool choice,
   * parallel tool calls (with tools only), output limit, sampling, response format and user translated.
   */
  public ChatRequest chat(JsonArray prior) {
    JsonObject chat = new JsonObject().put("model", model);
    JsonArray messages = new JsonArray();
    if (body.getValue("instructions") instanceof String instructions && !instructions.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    InputItems.toMessages(prior, messages);
    InputItems.toMessages(input, messages);
    chat.put("messages", messages);
    if (body.getValue("max_output_tokens") != null) {
      chat.put("max_tokens", body.getValue("max_output_tokens"));
    }
    for (String key : new String[] {"temperature", "top_p", "user"}) {
      if (body.getValue(key) != null) {
        chat.put(key, body.getValue(key));
      }
    }
    Tools.translate(body.getValue("tools"), body.getValue("tool_choice"), body.getValue("parallel_tool_calls"),
      chat);
    TextFormat.translate(body.getValue("text"), chat);
    if (stream) {
      chat.put("stream", true);
    }
    if (body.containsKey(SwitchboardOptions.FIELD)) {
      chat.put(SwitchboardOptions.FIELD, body.getValue(SwitchboardOptions.FIELD));
    }
    return ChatRequest.from(chat, bodyBytes);
  }

  /** The input items a continuation of this response starts from: {@code prior}, then this request's input. */
  public JsonArray conversation(JsonArray prior) {
    JsonArray items = prior.copy();
    input.forEach(items::add);
    return items;
  }

  /** The reasoning effort the client asked for, or null: recorded, never sent to an upstream. */
  public String reasoningEffort() {
    return body.getValue("reasoning") instanceof JsonObject r && r.getValue("effort") instanceof String effort
      ? effort : null;
  }

  /** The request's one debug line: which features the chat form does not carry. */
  public String droppedSummary() {
    return String.join(", ", new TreeSet<>(dropped));
  }

  private static String optionalString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw Invalid.type(key, "a string");
    }
    return (String) value;
  }

  private static boolean bool(JsonObject body, String key, boolean fallback) {
    Object value = body.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw Invalid.type(key, "a boolean");
    }
    return b;
  }

  private static void number(JsonObject body, String key, double max) {
    Object value = body.getValue(key);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n)) {
      throw Invalid.type(key, "a number");
    }
    if (!(n.doubleValue() >= 0 && n.doubleValue() <= max)) {
      throw Invalid.value(key, "'" + key + "' must be between 0 and " + max);
    }
  }

  private static void metadata(Object value) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject metadata)) {
      throw Invalid.type("metadata", "an object of strings");
    }
    if (metadata.size() > 16) {
      throw Invalid.value("metadata", "'metadata' may hold at most 16 pairs");
    }
    for (String key : metadata.fieldNames()) {
      String at = "metadata." + Invalid.abbreviate(key);
      if (key.length() > 64) {
        throw Invalid.value(at, "metadata keys are at most 64 characters");
      }
      if (!(metadata.getValue(key) instanceof String text) || text.length() > 512) {
        throw Invalid.type(at, "a string of at most 512 characters");
      }
    }
  }

  private static void reasoning(Object value, Set<String> dropped) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject reasoning)) {
      throw Invalid.type("reasoning", "an object");
    }
    for (String key : reasoning.fieldNames()) {
      if (!Set.of("effort", "summary", "generate_summary").contains(key)) {
        throw Invalid.unsupported("reasoning." + Invalid.abbreviate(key), "Unknown reasoning option '"
          + Invalid.abbreviate(key) + "' (known: effort, summary)");
      }
      if (reasoning.getValue(key) != null && !(reasoning.getValue(key) instanceof String)) {
        throw Invalid.type("reasoning." + key, "a string");
      }
    }
    dropped.add("reasoning");
  }

  private static void include(Object value) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonArray include)) {
      throw Invalid.type("include", "an array of strings");
    }
    for (int i = 0; i < include.size(); i++) {
      // the gateway returns no reasoning items, so there is no encrypted reasoning to include: asking is harmless
      if (!INCLUDABLE.equals(include.getValue(i))) {
        throw Invalid.unsupported("include[" + i + "]", "Only '" + INCLUDABLE + "' may be included: the gateway "
          + "has no stored files, search results, logprobs or images to add");
      }
    }
  }
}
