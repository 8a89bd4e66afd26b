package io.switchboard.anthropic;

import io.switchboard.openai.AnthropicOrigin;
import io.switchboard.openai.ChatRequest;
import io.switchboard.openai.StrictJson;
import io.switchboard.openai.SwitchboardOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An Anthropic Messages request, validated and translated into the gateway's internal OpenAI chat request: system
 * prompt(s) first, then the messages ({@link MessageBlocks}), tools ({@code input_schema} as {@code parameters}),
 * {@code tool_choice}, {@code stop_sequences} as {@code stop}, {@code temperature}, {@code top_p},
 * {@code max_tokens}, {@code metadata.user_id} as {@code user}. What the chat form cannot carry is named in
 * {@link #dropped()}; the whole Anthropic request stays on the chat request ({@link ChatRequest#anthropic()}), and
 * the {@code anthropic-version} and {@code anthropic-beta} headers in {@link ChatRequest#anthropicHeaders()}, for
 * upstreams that speak Anthropic.
 *
 * @param stopSequences the client's stop sequences, to tell a stop sequence from a natural end
 * @param dropped features left out of the chat form, for one debug line per request
 */
public record MessagesRequest(ChatRequest chat, List<String> stopSequences, Set<String> dropped) {

  private static final Set<String> TRANSLATED = Set.of("model", "messages", "system", "max_tokens", "stream",
    "temperature", "top_p", "top_k", "stop_sequences", "metadata", "tools", "tool_choice", "thinking",
    SwitchboardOptions.FIELD);
  /** Fields a {@code count_tokens} request may carry besides the messages. */
  private static final Set<String> COUNTED = Set.of("model", "messages", "system", "tools", "tool_choice", "thinking",
    "mcp_servers");

  /** Parses {@code POST /v1/messages}. */
  public static MessagesRequest parse(Buffer raw, MultiMap headers) {
    return translate(StrictJson.parseObject(raw), raw.length(), headers, false);
  }

  /** Parses {@code POST /v1/messages/count_tokens}: the same content, no {@code max_tokens}, never a stream. */
  public static MessagesRequest parseCount(Buffer raw, MultiMap headers) {
    JsonObject body = StrictJson.parseObject(raw);
    for (String key : body.fieldNames()) {
      if (!COUNTED.contains(key)) {
        throw Invalid.value(key, "'" + MessageBlocks.abbreviate(key) + "' is not a parameter of count_tokens");
      }
    }
    return translate(body, raw.length(), headers, true);
  }

  private static MessagesRequest translate(JsonObject body, long bytes, MultiMap headers, boolean count) {
    Set<String> dropped = new TreeSet<>();
    JsonObject chat = new JsonObject();
    if (!(body.getValue("model") instanceof String model)) {
      throw body.containsKey("model") ? Invalid.type("model", "a string") : Invalid.missing("model");
    }
    chat.put("model", model);
    JsonArray messages = new JsonArray();
    system(body.getValue("system"), messages, dropped);
    Object value = body.getValue("messages");
    if (!(value instanceof JsonArray anthropic)) {
      throw value == null ? Invalid.missing("messages") : Invalid.type("messages", "an array");
    }
    if (anthropic.isEmpty()) {
      throw Invalid.value("messages", "'messages' must hold at least one message");
    }
    MessageBlocks blocks = new MessageBlocks(dropped);
    for (int i = 0; i < anthropic.size(); i++) {
      blocks.translate(anthropic.getValue(i), i, messages);
    }
    chat.put("messages", messages);
    if (!count) {
      Object maxTokens = body.getValue("max_tokens");
      if (maxTokens == null) {
        throw Invalid.missing("max_tokens");
      }
      chat.put("max_tokens", maxTokens);   // its type and range are checked by the chat request
      if (body.containsKey("stream")) {
        chat.put("stream", body.getValue("stream"));
      }
    }
    number(body, "temperature", 1, chat);
    number(body, "top_p", 1, chat);
    if (body.getValue("top_k") != null) {
      if (!(body.getValue("top_k") instanceof Integer) && !(body.getValue("top_k") instanceof Long)) {
        throw Invalid.type("top_k", "an integer");
      }
      dropped.add("top_k");
    }
    List<String> stops = stopSequences(body.getValue("stop_sequences"));
    if (!stops.isEmpty()) {
      chat.put("stop", new JsonArray(List.copyOf(stops)));
    }
    metadata(body.getValue("metadata"), chat);
    boolean toolsPresent = Tools.translate(body.getValue("tools"), chat, dropped);
    Tools.choice(body.getValue("tool_choice"), toolsPresent, chat, dropped);
    boolean thinking = thinking(body.getValue("thinking"), dropped);
    if (body.containsKey(SwitchboardOptions.FIELD)) {
      chat.put(SwitchboardOptions.FIELD, body.getValue(SwitchboardOptions.FIELD));
    }
    for (String key : body.fieldNames()) {
      if (!TRANSLATED.contains(key)) {
        dropped.add(MessageBlocks.abbreviate(key));
      }
    }
    Map<String, String> anthropicHeaders = new HashMap<>();
    for (String name : ChatRequest.ANTHROPIC_HEADERS) {
      if (headers.get(name) != null) {
        anthropicHeaders.put(name, headers.get(name));
      }
    }
    ChatRequest translated = ChatRequest.from(chat, bytes);
    // the x-switchboard-* headers (constraints, session) count here as on the chat endpoint
    ChatRequest request = translated.withOptions(translated.options().withHeaders(headers::get))
      .withAnthropicHeaders(anthropicHeaders).withAnthropic(new AnthropicOrigin(body, thinking, translated.messages()));
    return new MessagesRequest(request, stops, Set.copyOf(dropped));
  }

  private static void system(Object system, JsonArray messages, Set<String> dropped) {
    if (system == null) {
      return;
    }
    if (system instanceof String text) {
      if (!text.isEmpty()) {
        messages.add(new JsonObject().put("role", "system").put("content", text));
      }
      return;
    }
    if (!(system instanceof JsonArray blocks)) {
      throw Invalid.type("system", "a string or an array of text blocks");
    }
    JsonArray parts = MessageBlocks.systemParts(blocks, "system", dropped);
    if (!parts.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", parts));
    }
  }

  private static void number(JsonObject body, String key, double max, JsonObject chat) {
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
    chat.put(key, value);
  }

  private static List<String> stopSequences(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw Invalid.type("stop_sequences", "an array of strings");
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.isEmpty()) {
        throw Invalid.type("stop_sequences[" + i + "]", "a non-empty string");
      }
    }
    return array.stream().map(String.class::cast).toList();
  }

  private static void metadata(Object value, JsonObject chat) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject metadata)) {
      throw Invalid.type("metadata", "an object");
    }
    for (String key : metadata.fieldNames()) {
      if (!key.equals("user_id")) {
        throw Invalid.value("metadata." + MessageBlocks.abbreviate(key), "Unknown metadata field '"
          + MessageBlocks.abbreviate(key) + "' (known: user_id)");
      }
    }
    Object user = metadata.getValue("user_id");
    if (user != null && !(user instanceof String)) {
      throw Invalid.type("metadata.user_id", "a string");
    }
    if (user != null) {
      chat.put("user", user);
    }
  }

  private static boolean thinking(Object value, Set<String> dropped) {
    if (value == null) {
      return false;
    }
    if (!(value instanceof JsonObject thinking) || !(thinking.getValue("type") instanceof String type)) {
      throw Invalid.type("thinking", "an object with a string 'type'");
    }
    switch (type) {
      case "disabled" -> {
        return false;
      }
      case "enabled" -> {
        if (!(thinking.getValue("budget_tokens") instanceof Integer budget) || budget < 1024) {
          throw Invalid.value("thinking.budget_tokens", "'thinking.budget_tokens' must be an integer of at least 1024");
        }
      }
      case "adaptive" -> {
        // no budget: the model decides how much to think
      }
      default -> throw Invalid.value("thinking.type", "'thinking.type' must be 'enabled', 'adaptive' or 'disabled'");
    }
    dropped.add("thinking");
    return true;
  }

  /** The request's one debug line: which features the chat form does not carry. */
  public String droppedSummary() {
    return String.join(", ", new TreeSet<>(dropped));
  }
}
