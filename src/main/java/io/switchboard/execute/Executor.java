package io.switchboard.execute;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.limit.Permit;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Calls OpenAI-compatible upstreams. One per HTTP verticle instance (and one for the bus front door): it owns
 * one pooled HTTP client per provider, used only from its own event loop, so response bytes never leave it.
 */
public final class Executor {

  static final long MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Map<String, HttpClientAgent> clients = new HashMap<>();
  private final Map<String, MultiMap> headers = new HashMap<>();

  public Executor(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
    for (ProviderConfig provider : config.providers().values()) {
      clients.put(provider.name(), vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout((int) provider.connectTimeoutMillis()),
        new PoolOptions().setHttp1MaxSize(provider.maxConnections())));
      MultiMap fixed = MultiMap.caseInsensitiveMultiMap();
      provider.headers().forEach(fixed::add);
      fixed.set(HttpHeaders.CONTENT_TYPE, JSON);
      fixed.set(HttpHeaders.USER_AGENT, "switchboard");
      headers.put(provider.name(), fixed);
    }
  }

  /**
   * Starts a call to {@code model}; see {@link UpstreamCall#response()}.
   *
   * @param lease the key to send, or null for providers without keys
   * @param headLimitMillis longest wait for the response head: the provider's first-byte timeout, or less when
   *                        the request's deadline is nearer (then {@code headTimeoutCode} says so)
   */
  UpstreamCall start(ChatRequest request, ModelConfig model, int attempt, KeyPool.Lease lease, List<Permit> permits,
                     long headLimitMillis, String headTimeoutCode, Consumer<UpstreamCall> onEnd) {
    ProviderConfig provider = config.providerOf(model);
    UpstreamCall call = new UpstreamCall(model, provider, attempt, lease, permits, onEnd);
    MultiMap callHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers.get(provider.name()))
      .set(HttpHeaders.ACCEPT, request.stream() ? EVENT_STREAM : JSON);
    if (lease != null) {
      callHeaders.set(HttpHeaders.AUTHORIZATION, KeyPool.authorization(lease));
    }
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.POST)
      .setAbsoluteURI(provider.baseUrl() + "/chat/completions")
      .setConnectTimeout(provider.connectTimeoutMillis())
      // Vert.x stops a request's idle timeout when the head arrives: until then it is the first-byte timeout
      .setIdleTimeout(headLimitMillis)
      .setHeaders(callHeaders);
    long totalTimer = vertx.setTimer(provider.totalTimeoutMillis(),
      id -> call.abort(UpstreamFailures.timeout(provider, UpstreamFailures.TOTAL_TIMEOUT)));
    call.cleanup(() -> vertx.cancelTimer(totalTimer));
    Buffer body = upstreamBody(request, model);
    call.response(clients.get(provider.name()).request(options)
      .compose(req -> {
        call.attach(req);
        return req.send(body);
      })
      .compose(response -> {
        call.headArrived();
        return response.statusCode() < 400
          ? Future.succeededFuture(response.pause())
          : readError(vertx, provider, response);
      })
      .recover(failure -> Future.failedFuture(call.failure(failure, headTimeoutCode).exception())));
    return call;
  }

  /** Reads the whole (paused) 2xx answer of a non-streaming call. */
  public Future<Completion> readCompletion(UpstreamCall call, HttpClientResponse response, long promptTokens) {
    return CompletionReader.read(vertx, response, call, promptTokens);
  }

  private static Future<HttpClientResponse> readError(Vertx vertx, ProviderConfig provider, HttpClientResponse response) {
    String retryAfter = response.getHeader(HttpHeaders.RETRY_AFTER);
    return BoundedBody.read(vertx, response, MAX_ERROR_BODY_BYTES, provider.idleTimeoutMillis())
      .otherwise(Buffer.buffer())
      .compose(body -> Future.failedFuture(
        UpstreamFailures.fromStatus(provider, response.statusCode(), body, retryAfter).exception()));
  }

  /** The client's body with the upstream model name, and usage requested on streams so cost is exact. */
  static Buffer upstreamBody(ChatRequest request, ModelConfig model) {
    Map<String, Object> fields = new LinkedHashMap<>(request.body().getMap());
    fields.put("model", model.upstream());
    if (request.stream()) {
      JsonObject streamOptions = request.body().getJsonObject("stream_options", new JsonObject()).copy();
      fields.put("stream_options", streamOptions.put("include_usage", true));
    }
    return new JsonObject(fields).toBuffer();
  }

  public Future<Void> close() {
    return Future.all(clients.values().stream().map(HttpClientAgent::close).toList()).mapEmpty();
  }
}
