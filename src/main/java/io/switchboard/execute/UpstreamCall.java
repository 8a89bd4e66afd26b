package io.switchboard.execute;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.cost.Usage;
import io.switchboard.limit.Permit;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

import java.util.List;
import java.util.function.Consumer;

/**
 * One request to an upstream provider, cancellable at any point: before the connection exists, while waiting
 * for the head, or mid-body. It ends exactly once ({@link #end}), which releases its key and rate-limit permits
 * and publishes the attempt. Confined to the event loop that started it.
 */
public final class UpstreamCall {

  public static final ApiError CLIENT_CLOSED = new ApiError(499, ApiError.API_ERROR, "client_closed_request", null,
    "The client closed the connection", 0);

  private final ModelConfig model;
  private final ProviderConfig provider;
  private final ProviderDialect dialect;
  private final int attempt;
  private final KeyPool.Lease lease;
  private final List<Permit> permits;
  private final Consumer<UpstreamCall> onEnd;
  private final long startedNanos = System.nanoTime();
  private long headNanos;
  private HttpClientRequest request;
  private ApiError abortReason;
  private boolean finished;
  private boolean ended;
  private Usage usage = Usage.NONE;
  private String outcome;
  private Future<HttpClientResponse> response;
  private Runnable cleanup = () -> { };

  UpstreamCall(ModelConfig model, ProviderConfig provider, ProviderDialect dialect, int attempt, KeyPool.Lease lease,
               List<Permit> permits, Consumer<UpstreamCall> onEnd) {
    this.model = model;
    this.provider = provider;
    this.dialect = dialect;
    this.attempt = attempt;
    this.lease = lease;
    this.permits = permits;
    this.onEnd = onEnd;
  }

  void attach(HttpClientRequest request) {
    this.request = request;
    if (abortReason != null) {
      request.reset();
    }
  }

  void response(Future<HttpClientResponse> response) {
    this.response = response;
  }

  /** Runs when the call ends (cancels its timers). */
  void cleanup(Runnable cleanup) {
    this.cleanup = cleanup;
  }

  /** Succeeds with the paused response of a 2xx answer; fails with an {@code ApiException} otherwise. */
  public Future<HttpClientResponse> response() {
    return response;
  }

  /** The client went away: abort the upstream request (the provider sees the connection reset). */
  public void cancel() {
    abort(CLIENT_CLOSED);
  }

  /** Aborts the upstream request for {@code reason}, unless the whole answer already arrived. */
  void abort(ApiError reason) {
    if (abortReason == null && !finished && !ended) {
      abortReason = reason;
      if (request != null) {
        request.reset();
      }
    }
  }

  /** Why the gateway aborted this call, or null if it did not. */
  ApiError abortReason() {
    return abortReason;
  }

  /** The error a transport failure of this call means: the gateway's own reason when it aborted the call. */
  ApiError failure(Throwable cause, String timeoutCode) {
    return abortReason != null ? abortReason : UpstreamFailures.fromThrowable(provider, cause, timeoutCode);
  }

  /** The whole answer was received: a later {@link #cancel()} has nothing to abort. */
  public void markFinished() {
    finished = true;
  }

  public boolean cancelled() {
    return abortReason == CLIENT_CLOSED;
  }

  /**
   * Ends the call once: {@code usage} is what it consumed ({@link Usage#NONE} for a call that produced nothing),
   * {@code outcome} an error code or "ok". Later calls do nothing.
   */
  public void end(Usage usage, String outcome) {
    if (ended) {
      return;
    }
    ended = true;
    this.usage = usage;
    this.outcome = outcome;
    cleanup.run();
    if (lease != null) {
      lease.release();
    }
    for (Permit permit : permits) {
      permit.settle(usage.promptTokens(), usage.completionTokens());
    }
    onEnd.accept(this);
  }

  public ModelConfig model() {
    return model;
  }

  public ProviderConfig provider() {
    return provider;
  }

  /** The wire format of the answer: how it is read and translated. */
  ProviderDialect dialect() {
    return dialect;
  }

  /** Whether the answer is in the client's own dialect and goes to it as received (see {@link ProviderDialect}). */
  public boolean sameDialect() {
    return dialect.sameDialect();
  }

  /** 1 for the first call of a request, 2 for the next, across every model tried. */
  public int attempt() {
    return attempt;
  }

  KeyPool.Lease lease() {
    return lease;
  }

  /** The label of the key the call used; empty for providers without keys. */
  public String keyLabel() {
    return lease == null ? "" : lease.key().label();
  }

  public Usage usage() {
    return usage;
  }

  public String outcome() {
    return outcome;
  }

  public long startedNanos() {
    return startedNanos;
  }

  void headArrived() {
    headNanos = System.nanoTime();
  }

  /** Time from the start of the call to the upstream's response head; 0 before it arrived. */
  public long headLatencyNanos() {
    return headNanos == 0 ? 0 : headNanos - startedNanos;
  }
}
