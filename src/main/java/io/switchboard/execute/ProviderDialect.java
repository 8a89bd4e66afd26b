package io.switchboard.execute;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The wire format of one kind of provider. The gateway works in OpenAI chat completions; a dialect turns a chat
 * request into its provider's request and the provider's answers (JSON or SSE) back into OpenAI chat completions
 * and chunks. Implementations are stateless and shared; what one stream needs lives in its listener.
 */
public interface ProviderDialect {

  /**
   * A whole answer read as an OpenAI chat completion: {@code body} is what the client gets, {@code json} its form.
   *
   * @param sameDialect {@code body} is the upstream's answer as received, in the client's own dialect (not a chat
   *                    completion): see {@link #sameDialect()}
   */
  record Answer(Buffer body, JsonObject json, boolean sameDialect) {

    public Answer(Buffer body, JsonObject json) {
      this(body, json, false);
    }
  }

  /**
   * Whether this dialect is the client's own: the request goes upstream as the client wrote it, and the answer comes
   * back as received (a JSON body as {@link Answer#body()}, a stream's events passed on with
   * {@link SseListener#passOn}) while {@link #answer} and {@link #stream} still read it as OpenAI chat for the
   * gateway's own use (usage, checks, the response cache).
   */
  default boolean sameDialect() {
    return false;
  }

  /** Where the call goes. */
  String url(ProviderConfig provider, ModelConfig model, boolean stream);

  /**
   * Adds the credential and the dialect's own headers to {@code headers} (which already hold the provider's fixed
   * ones).
   *
   * @param lease the key to send, or null for providers without keys
   */
  void headers(MultiMap headers, ChatRequest request, KeyPool.Lease lease);

  /** The request body; may fail with an {@code ApiException} for a request the provider cannot be sent. */
  Buffer body(ChatRequest request, ModelConfig model);

  /** Reads a whole 2xx body; fails with a {@code RuntimeException} when it is not an answer of this dialect. */
  Answer answer(Buffer body);

  /**
   * The listener the upstream's SSE events go to: it hands OpenAI chat-completion chunk events to {@code sink}, as
   * they arrive, ending a complete answer with {@code data: [DONE]}. Malformed events go to {@code sink} unchanged
   * (which rejects them).
   */
  SseListener stream(SseListener sink);

  /** The status an error answer stands for (a provider may report a bad key as a plain 400). */
  default int errorStatus(int status, Buffer body) {
    return status;
  }

  /** When to retry after an error answer, as a {@code Retry-After} value; null when unknown. */
  default String retryAfter(String header, Buffer body) {
    return header;
  }
}
