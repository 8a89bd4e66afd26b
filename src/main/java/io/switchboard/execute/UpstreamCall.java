package io.switchboard.execute;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * One request to an upstream provider, cancellable at any point: before the connection exists, while waiting
 * for the head, or mid-body. Confined to the event loop that started it.
 */
public final class UpstreamCall {

  private final ModelConfig model;
  private final ProviderConfig provider;
  private final long startedNanos = System.nanoTime();
  private long headNanos;
  private HttpClientRequest request;
  private boolean cancelled;
  private boolean finished;
  private Future<HttpClientResponse> response;

  UpstreamCall(ModelConfig model, ProviderConfig provider) {
    this.model = model;
    this.provider = provider;
  }

  void attach(HttpClientRequest request) {
    this.request = request;
    if (cancelled) {
      request.reset();
    }
  }

  void response(Future<HttpClientResponse> response) {
    this.response = response;
  }

  /** Succeeds with the paused response of a 2xx answer; fails with an {@code ApiException} otherwise. */
  public Future<HttpClientResponse> response() {
    return response;
  }

  /** Aborts the upstream request (the provider sees the connection reset) unless it already finished. */
  public void cancel() {
    if (!cancelled && !finished) {
      cancelled = true;
      if (request != null) {
        request.reset();
      }
    }
  }

  /** The whole answer was received: a later {@link #cancel()} has nothing to abort. */
  public void markFinished() {
    finished = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  public ModelConfig model() {
    return model;
  }

  public ProviderConfig provider() {
    return provider;
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
