package io.switchboard.provider.anthropic;

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

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code POST /messages}, key in {@code x-api-key}). The client's
 * {@code anthropic-version} goes along (without one, the provider's configured header or {@value #DEFAULT_VERSION}),
 * and its {@code anthropic-beta} list is added to the configured one.
 */
public final class AnthropicDialect implements ProviderDialect {

  /** Without automatic cache breakpoints. */
  public static final AnthropicDialect INSTANCE = new AnthropicDialect(null);
  static final String DEFAULT_VERSION = "2023-06-01";
  private static final Logger LOG = LoggerFactory.getLogger(AnthropicDialect.class);

  private final CacheBreakpoints breakpoints;

  /** @param breakpoints marks added to a translated request that has none; null for none */
  public AnthropicDialect(CacheBreakpoints breakpoints) {
    this.breakpoints = breakpoints;
  }

  @Override
  public String url(ProviderConfig provider, ModelConfig model, boolean stream) {
    return provider.baseUrl() + "/messages";
  }

  @Override
  public void headers(MultiMap headers, ChatRequest request, KeyPool.Lease lease) {
    if (lease != null) {
      headers.set("x-api-key", lease.key().secret().orElseThrow());
    }
    String version = request.anthropicHeaders().get("anthropic-version");
    if (version != null) {
      headers.set("anthropic-version", version);
    } else if (!headers.contains("anthropic-version")) {
      headers.set("anthropic-version", DEFAULT_VERSION);
    }
    String beta = request.anthropicHeaders().get("anthropic-beta");
    if (beta != null) {
      // the client's betas join those the provider is configured with
      Set<String> betas = new LinkedHashSet<>();
      for (String list : new String[] {headers.get("anthropic-beta"), beta}) {
        if (list != null) {
          Arrays.stream(list.split(",")).map(String::trim).filter(b -> !b.isEmpty()).forEach(betas::add);
        }
      }
      headers.set("anthropic-beta", String.join(",", betas));
    }
  }

  @Override
  public Buffer body(ChatRequest request, ModelConfig model) {
    DroppedFeatures dropped = new DroppedFeatures();
    JsonObject body = AnthropicRequest.translate(request, model, dropped);
    dropped.log(LOG, model.provider(), "request");
    if (breakpoints != null) {
      breakpoints.add(body);
    }
    return body.toBuffer();
  }

  @Override
  public Answer answer(Buffer body) {
    DroppedFeatures dropped = new DroppedFeatures();
    JsonObject completion = AnthropicAnswer.translate(new JsonObject(body), dropped);
    dropped.log(LOG, "anthropic", "answer");
    return new Answer(completion.toBuffer(), completion);
  }

  @Override
  public SseListener stream(SseListener sink) {
    return new AnthropicStream(sink, "anthropic", false);
  }
}
