package io.switchboard.limit;

import io.vertx.core.Future;

/**
 * Admits calls against per-minute limits before they go upstream. Token counts are estimates at admission time;
 * the {@link Permit} of a granted call corrects them once the provider has answered. Implementations are
 * thread-safe and never block the caller: one limiter serves all event loops of a node, and an implementation
 * shared between nodes answers asynchronously.
 */
public interface RateLimiter {

  /**
   * Admits calls against per-minute limits; scope names a model ("model:gpt-4.1") or a key ("key:openai:team-a").
   * All or nothing: a denied call takes nothing from any dimension.
   *
   * @param limits       the scope's current limits; when they differ from the last call's (a config reload), the
   *                     scope adopts them
   * @param inputTokens  estimated prompt tokens, not negative
   * @param outputTokens estimated completion tokens, not negative
   */
  Future<Admission> acquire(String scope, Limits limits, long inputTokens, long outputTokens);
}
