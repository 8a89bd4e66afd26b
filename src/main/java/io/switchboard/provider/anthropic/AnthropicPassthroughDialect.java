package io.switchboard.provider.anthropic;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.execute.KeyPool;
import io.switchboard.execute.ProviderDialect;
import io.switchboard.execute.SseListener;
import io.switchboard.openai.AnthropicOrigin;
import io.switchboard.openai.ChatRequest;
import io.switchboard.provider.DroppedFeatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same-dialect path: an Anthropic client's request to an Anthropic upstream. The client's own Messages body goes
 * upstream with the model's upstream name (and a lower {@code max_tokens} when the gateway capped it), so thinking
 * blocks and their signatures, {@code cache_control}, {@code top_k}, server tools, citations and fields the gateway
 * does not know arrive as the client sent them. The answer goes back as received: the JSON body's bytes, the stream's
 * events byte for byte; the gateway reads them as OpenAI chat on the side, for usage, checks and the response cache.
 * Headers are those of {@link AnthropicDialect}.
 */
public final class AnthropicPassthroughDialect implements ProviderDialect {

  private final AnthropicDialect headers;
  private final CacheBreakpoints breakpoints;

  /** @param breakpoints marks added to a request that has none; null for none */
  public AnthropicPassthroughDialect(CacheBreakpoints breakpoints) {
    this.headers = AnthropicDialect.INSTANCE;
    this.breakpoints = breakpoints;
  }

  /**
   * Whether {@code request} can take this path: it came from an Anthropic client and its conversation is still
   * the one translated from the client's body (a review step or a trimmed context rewrote it otherwise, and only
   * the translated path carries that change).
   */
  public static boolean applies(ChatRequest request) {
    return request.anthropic().map(origin -> origin.describes(request.messages())).orElse(false);
  }

  @Override
  public boolean sameDialect() {
    return true;
  }

  @Override
  public String url(ProviderConfig provider, ModelConfig model, boolean stream) {
    return headers.url(provider, model, stream);
  }

  @Override
  public void headers(MultiMap headers, ChatRequest request, KeyPool.Lease lease) {
    this.headers.headers(headers, request, lease);
  }

  /**
   * The client's body with the upstream model name, the call's stream flag, and the gateway's lower
   * {@code max_tokens}, if any. Its JSON is written anew from the parsed body (the same values in the same order);
   * with automatic breakpoints on, marks may be added to {@code tools} and {@code system}.
   */
  @Override
  public Buffer body(ChatRequest request, ModelConfig model) {
    AnthropicOrigin origin = request.anthropic().orElseThrow();
    Map<String, Object> fields = new LinkedHashMap<>(origin.body().getMap());
    fields.put("model", model.upstream());
    if (request.stream()) {
      fields.put("stream", true);
    } else if (Boolean.TRUE.equals(fields.get("stream"))) {
      fields.remove("stream");   // a streaming client's request asked whole (an answer to check first)
    }
    if (request.maxOutputTokens() > 0 && fields.get("max_tokens") instanceof Number asked
      && request.maxOutputTokens() < asked.longValue()) {
      fields.put("max_tokens", request.maxOutputTokens());
    }
    JsonObject body = new JsonObject(fields);
    if (breakpoints != null) {
      breakpoints.add(body);
    }
    return body.toBuffer();
  }

  @Override
  public Answer answer(Buffer body) {
    JsonObject completion = AnthropicAnswer.translate(new JsonObject(body), new DroppedFeatures());
    return new Answer(body, completion, true);
  }

  @Override
  public SseListener stream(SseListener sink) {
    return new AnthropicStream(sink, "anthropic", true);
  }
}
