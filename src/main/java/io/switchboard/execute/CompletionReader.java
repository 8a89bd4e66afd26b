package io.switchboard.execute;

import io.switchboard.classify.TokenCounter;
import io.switchboard.config.ProviderConfig;
import io.switchboard.cost.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads and checks a non-streaming chat completion (bounded by the provider's {@code max_response_bytes}). */
final class CompletionReader {

  private CompletionReader() {
  }

  static Future<Completion> read(Vertx vertx, HttpClientResponse response, UpstreamCall call, long promptTokens) {
    ProviderConfig provider = call.provider();
    return BoundedBody.read(vertx, response, provider.maxResponseBytes(), provider.idleTimeoutMillis())
      .recover(failure -> Future.failedFuture(call.failure(failure, UpstreamFailures.IDLE_TIMEOUT).exception()))
      .compose(body -> parse(body, call.dialect(), provider, promptTokens));
  }

  private static Future<Completion> parse(Buffer body, ProviderDialect dialect, ProviderConfig provider,
                                          long promptTokens) {
    ProviderDialect.Answer answer;
    try {
      answer = dialect.answer(body);
    } catch (RuntimeException e) {
      return Future.failedFuture(UpstreamFailures.invalidResponse(provider, "the body is not JSON").exception());
    }
    JsonObject json = answer.json();
    if (!(json.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()) {
      return Future.failedFuture(UpstreamFailures.invalidResponse(provider, "it has no choices").exception());
    }
    Usage usage = json.getValue("usage") instanceof JsonObject u ? Usage.fromOpenAi(u) : null;
    if (usage == null) {
      usage = new Usage(promptTokens, countOutput(choices), 0, 0, true);
    }
    return Future.succeededFuture(new Completion(answer.body(), json, usage, System.nanoTime(),
      answer.sameDialect()));
  }

  private static long countOutput(JsonArray choices) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < choices.size(); i++) {
      if (choices.getValue(i) instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message) {
        if (message.getValue("content") instanceof String content) {
          text.append(content);
        }
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
          text.append(calls.encode());
        }
      }
    }
    return TokenCounter.count(text);
  }
}
