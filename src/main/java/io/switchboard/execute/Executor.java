package io.switchboard.execute;

import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.limit.Permit;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.ChatRequest;
import io.switchboard.provider.anthropic.AnthropicDialect;
import io.switchboard.provider.anthropic.AnthropicPassthroughDialect;
import io.switchboard.provider.anthropic.CacheBreakpoints;
import io.switchboard.provider.gemini.GeminiDialect;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Calls upstreams, each in its provider's dialect ({@link ProviderDialect}). One per HTTP verticle instance (and one
 * for the bus front door): it owns one pooled HTTP client per provider, used only from its own event loop, so
 * response bytes never leave it.
 */
public final class Executor {

  static final long MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Map<String, HttpClientAgent> clients = new HashMap<>();
  private final Map<String, MultiMap> headers = new HashMap<>();
  private final Map<String, ProviderDialect> dialects = new HashMap<>();
  private final Map<String, ProviderDialect> sameDialects = new HashMap<>();

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
      CacheBreakpoints breakpoints = provider.autoCacheControl()
        ? new CacheBreakpoints(provider.autoCacheMinTokens()) : null;
      dialects.put(provider.name(), dialect(provider.type(), breakpoints));
      if (provider.type() == ProviderConfig.Type.ANTHROPIC) {
        sameDialects.put(provider.name(), new AnthropicPassthroughDialect(breakpoints));
      }
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
    ProviderDialect dialect = dialectOf(request, provider);
    UpstreamCall call = new UpstreamCall(model, provider, dialect, attempt, lease, permits, onEnd);
    MultiMap callHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers.get(provider.name()))
      .set(HttpHeaders.ACCEPT, request.stream() ? EVENT_STREAM : JSON);
    dialect.headers(callHeaders, request, lease);
    Buffer body;
    try {
      body = dialect.body(request, model);
    } catch (ApiException untranslatable) {
      call.response(Future.failedFuture(untranslatable));
      return call;
    }
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.POST)
      .setAbsoluteURI(dialect.url(provider, model, request.stream()))
      .setConnectTimeout(provider.connectTimeoutMillis())
      // Vert.x stops a request's idle timeout when the head arrives: until then it is the first-byte timeout
      .setIdleTimeout(headLimitMillis)
      .setHeaders(callHeaders);
    long totalTimer = vertx.setTimer(provider.totalTimeoutMillis(),
      id -> call.abort(UpstreamFailures.timeout(provider, UpstreamFailures.TOTAL_TIMEOUT)));
    call.cleanup(() -> vertx.cancelTimer(totalTimer));
    call.response(clients.get(provider.name()).request(options)
      .compose(req -> {
        call.attach(req);
        return req.send(body);
      })
      .compose(response -> {
        call.headArrived();
        return response.statusCode() < 400
          ? Future.succeededFuture(response.pause())
          : readError(vertx, provider, dialect, response);
      })
      .recover(failure -> Future.failedFuture(call.failure(failure, headTimeoutCode).exception())));
    return call;
  }

  /** Reads the whole (paused) 2xx answer of a non-streaming call. */
  public Future<Completion> readCompletion(UpstreamCall call, HttpClientResponse response, long promptTokens) {
    return CompletionReader.read(vertx, response, call, promptTokens);
  }

  private static Future<HttpClientResponse> readError(Vertx vertx, ProviderConfig provider, ProviderDialect dialect,
                                                      HttpClientResponse response) {
    String retryAfter = response.getHeader(HttpHeaders.RETRY_AFTER);
    return BoundedBody.read(vertx, response, MAX_ERROR_BODY_BYTES, provider.idleTimeoutMillis())
      .otherwise(Buffer.buffer())
      .compose(body -> Future.failedFuture(
        UpstreamFailures.fromStatus(provider, dialect.errorStatus(response.statusCode(), body), body,
          dialect.retryAfter(retryAfter, body)).exception()));
  }

  /**
   * Chosen per call, as failover may move a request between providers: an Anthropic client's own request goes to an
   * Anthropic upstream as it is (the same-dialect path), anything else is translated.
   */
  private ProviderDialect dialectOf(ChatRequest request, ProviderConfig provider) {
    ProviderDialect same = sameDialects.get(provider.name());
    return same != null && AnthropicPassthroughDialect.applies(request) ? same : dialects.get(provider.name());
  }

  private static ProviderDialect dialect(ProviderConfig.Type type, CacheBreakpoints breakpoints) {
    return switch (type) {
      case OPENAI -> OpenAiDialect.INSTANCE;
      case ANTHROPIC -> breakpoints == null ? AnthropicDialect.INSTANCE : new AnthropicDialect(breakpoints);
      case GEMINI -> GeminiDialect.INSTANCE;
    };
  }

  public Future<Void> close() {
    return Future.all(clients.values().stream().map(HttpClientAgent::close).toList()).mapEmpty();
  }
}
