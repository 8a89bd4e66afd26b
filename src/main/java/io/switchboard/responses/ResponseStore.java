package io.switchboard.responses;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * Where stored responses live, per tenant: this process's memory ({@link MemoryResponseStore}) or the shared Redis
 * ({@link RedisResponseStore}). A tenant never reads another's responses. Implementations are thread-safe; a failed
 * future means the store could not answer, never a missing response.
 */
public interface ResponseStore {

  Future<Optional<StoredResponse>> get(String tenant, String id);

  /** Keeps {@code response} for {@code tenant} for the configured time. */
  Future<Void> put(String tenant, StoredResponse response);

  /** Forgets a response of {@code tenant}; true when there was one. */
  Future<Boolean> delete(String tenant, String id);
}
