package io.switchboard.provider.gemini;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.execute.KeyPool;
import io.switchboard.execute.ProviderDialect;
import io.switchboard.execute.SseListener;
import io.switchboard.openai.ChatRequest;
import io.switchboard.provider.DroppedFeatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API: {@code models/NAME:generateContent}, or {@code :streamGenerateContent?alt=sse} for streams,
 * key in {@code x-goog-api-key}.
 */
public final class GeminiDialect implements ProviderDialect {

  public static final GeminiDialect INSTANCE = new GeminiDialect();
  private static final Logger LOG = LoggerFactory.getLogger(GeminiDialect.class);
  private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d{1,6}(?:\\.\\d+)?)s\"");

  private GeminiDialect() {
  }

  @Override
  public String url(ProviderConfig provider, ModelConfig model, boolean stream) {
    String name = model.upstream().startsWith("models/") ? model.upstream().substring(7) : model.upstream();
    return provider.baseUrl() + "/models/" + name + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  @Override
  public void headers(MultiMap headers, ChatRequest request, KeyPool.Lease lease) {
    if (lease != null) {
      headers.set("x-goog-api-key", lease.key().secret().orElseThrow());
    }
  }

  @Override
  public Buffer body(ChatRequest request, ModelConfig model) {
    DroppedFeatures dropped = new DroppedFeatures();
    JsonObject body = GeminiRequest.translate(request, model, dropped);
    dropped.log(LOG, model.provider(), "request");
    return body.toBuffer();
  }

  @Override
  public Answer answer(Buffer body) {
    DroppedFeatures dropped = new DroppedFeatures();
    JsonObject completion = GeminiAnswer.translate(new JsonObject(body), dropped);
    dropped.log(LOG, "gemini", "answer");
    return new Answer(completion.toBuffer(), completion);
  }

  @Override
  public SseListener stream(SseListener sink) {
    return new GeminiStream(sink);
  }

  /**
   * Google sends no {@code Retry-After} with a 429; its {@code RetryInfo} detail says {@code "retryDelay": "30s"}
   * (fractions rounded up).
   */
  @Override
  public String retryAfter(String header, Buffer body) {
    if (header != null) {
      return header;
    }
    Matcher delay = RETRY_DELAY.matcher(body.toString());
    return delay.find() ? Long.toString((long) Math.ceil(Double.parseDouble(delay.group(1)))) : null;
  }

  /** Gemini answers a bad key with 400 API_KEY_INVALID: for failover it is the 401 it means. */
  @Override
  public int errorStatus(int status, Buffer body) {
    return status == 400 && body.toString().contains("API_KEY_INVALID") ? 401 : status;
  }
}
