package io.switchboard.auth;

import io.vertx.core.Future;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The keys of a single gateway process, in its memory: lost at restart, seen by no other instance. */
public final class MemoryVirtualKeyStore implements VirtualKeyStore {

  private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();
  private final Map<String, String> hashById = new ConcurrentHashMap<>();

  @Override
  public Future<Void> create(VirtualKey key, String secretHash) {
    if (byHash.putIfAbsent(secretHash, key) != null) {
      return Future.failedFuture(new IllegalStateException("a key with this secret exists already"));
    }
    hashById.put(key.id(), secretHash);
    return Future.succeededFuture();
  }

  @Override
  public Future<Optional<VirtualKey>> findByHash(String secretHash) {
    return Future.succeededFuture(Optional.ofNullable(byHash.get(secretHash)));
  }

  @Override
  public Future<Optional<VirtualKey>> findById(String id) {
    return Future.succeededFuture(Optional.ofNullable(hashById.get(id)).map(byHash::get));
  }

  @Override
  public Future<List<VirtualKey>> list() {
    return Future.succeededFuture(byHash.values().stream()
      .sorted(Comparator.comparing(VirtualKey::createdAt).thenComparing(VirtualKey::id)).toList());
  }

  @Override
  public Future<Optional<VirtualKey>> revoke(String id) {
    String hash = hashById.get(id);
    return Future.succeededFuture(hash == null ? Optional.empty()
      : Optional.ofNullable(byHash.computeIfPresent(hash, (h, key) -> key.asRevoked())));
  }

  @Override
  public Future<Long> activeCount() {
    return Future.succeededFuture(byHash.values().stream().filter(key -> !key.revoked()).count());
  }
}
