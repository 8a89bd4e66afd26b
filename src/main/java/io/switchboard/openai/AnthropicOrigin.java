package io.switchboard.openai;

import io.vertx.core.json.JsonObject;

/**
 * The Anthropic Messages request a {@link ChatRequest} was translated from (by the {@code /v1/messages} front door).
 * The chat form carries everything an OpenAI-compatible upstream can use; this keeps the rest for an upstream that
 * speaks Anthropic natively: the client's body as it came (thinking, {@code cache_control} markers, thinking
 * signatures, {@code top_k} and fields the gateway does not know), and the two headers Anthropic versions its API
 * with, to be forwarded untouched.
 *
 * @param body the client's Anthropic request body, validated and unmodified (do not mutate it)
 * @param version the {@code anthropic-version} request header, or null when the client sent none
 * @param beta the {@code anthropic-beta} request header (comma-separated flags as sent), or null
 * @param thinkingRequested the client asked for extended thinking ({@code thinking.type} other than
 *                          {@code disabled}); a routing input, dropped towards OpenAI-compatible upstreams
 */
public record AnthropicOrigin(JsonObject body, String version, String beta, boolean thinkingRequested) {

  public static final String VERSION_HEADER = "anthropic-version";
  public static final String BETA_HEADER = "anthropic-beta";
}
