package io.switchboard.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Anthropic Messages request a {@link ChatRequest} was translated from (by the {@code /v1/messages} front door).
 * The chat form carries everything an OpenAI-compatible upstream can use; this keeps the rest for an upstream that
 * speaks Anthropic natively: the client's body as it came (thinking, {@code cache_control} markers, thinking
 * signatures, {@code top_k} and fields the gateway does not know). The client's {@code anthropic-version} and
 * {@code anthropic-beta} headers are in {@link ChatRequest#anthropicHeaders()}.
 *
 * @param body the client's Anthropic request body, validated and unmodified (do not mutate it)
 * @param thinkingRequested the client asked for extended thinking ({@code thinking.type} other than
 *                          {@code disabled}); a routing input, dropped towards OpenAI-compatible upstreams
 * @param messages the chat messages translated from {@code body}, or null when unknown: a request whose
 *                 conversation is another array was rewritten by the gateway, and {@code body} no longer says it
 */
public record AnthropicOrigin(JsonObject body, boolean thinkingRequested, JsonArray messages) {

  public AnthropicOrigin(JsonObject body, boolean thinkingRequested) {
    this(body, thinkingRequested, null);
  }

  /**
   * Whether {@code body} still says what a chat request with these messages says: they are the very array
   * translated from it (a review step or a trimmed context builds another one).
   */
  public boolean describes(JsonArray chatMessages) {
    return messages != null && chatMessages == messages;
  }
}
