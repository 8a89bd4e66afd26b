package io.switchboard.execute;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI-compatible providers: the client's body goes upstream with the upstream model name, and answers come back
 * byte for byte (the SSE relay sees the upstream's events themselves: no translation, no extra parse).
 */
final class OpenAiDialect implements ProviderDialect {

  static final OpenAiDialect INSTANCE = new OpenAiDialect();

  private OpenAiDialect() {
  }

  @Override
  public String url(ProviderConfig provider, ModelConfig model, boolean stream) {
    return provider.baseUrl() + "/chat/completions";
  }

  @Override
  public void headers(MultiMap headers, ChatRequest request, KeyPool.Lease lease) {
    if (lease != null) {
      headers.set(HttpHeaders.AUTHORIZATION, KeyPool.authorization(lease));
    }
  }

  /** The client's body with the upstream model name, and usage requested on streams so cost is exact. */
  @Override
  public Buffer body(ChatRequest request, ModelConfig model) {
    Map<String, Object> fields = new LinkedHashMap<>(request.body().getMap());
    fields.put("model", model.upstream());
    if (request.stream()) {
      JsonObject streamOptions = request.body().getJsonObject("stream_options", new JsonObject()).copy();
      fields.put("stream_options", streamOptions.put("include_usage", true));
    }
    return new JsonObject(fields).toBuffer();
  }

  @Override
  public Answer answer(Buffer body) {
    return new Answer(body, new JsonObject(body));
  }

  @Override
  public SseListener stream(SseListener sink) {
    return sink;
  }
}
