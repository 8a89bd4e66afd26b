package io.switchboard.auth;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * Where virtual keys live: this process's memory, or the Redis that gateway instances share. Keys are found by the
 * SHA-256 of their secret ({@link KeySecrets#hash}); the secret itself is never handed to a store. Implementations
 * are safe to call from any event loop; a store that cannot answer fails the future (within its timeout).
 */
public interface VirtualKeyStore {

  /** Stores a new key under the digest of its secret. */
  Future<Void> create(VirtualKey key, String secretHash);

  /** The key whose secret has this digest, revoked or not; empty when there is none. */
  Future<Optional<VirtualKey>> findByHash(String secretHash);

  Future<Optional<VirtualKey>> findById(String id);

  /** Every key, revoked ones included, oldest first. */
  Future<List<VirtualKey>> list();

  /** Marks the key revoked; the answer is the revoked key, empty when no key has this id. */
  Future<Optional<VirtualKey>> revoke(String id);

  /** How many keys are not revoked. */
  Future<Long> activeCount();
}
