package io.switchboard.auth;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The virtual keys as one gateway process sees them: the {@link VirtualKeyStore} behind a short memory, shared by
 * every event loop of the process, so that a request costs the store at most one lookup per key every
 * {@link #MEMORY_NANOS}. What this process creates or revokes counts at once; what another instance does is seen
 * here within that time.
 */
public final class VirtualKeys {

  /** How long a lookup, and the knowledge whether any key exists, is trusted without asking the store again. */
  static final long MEMORY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final VirtualKeyStore store;
  private final boolean requireKeys;
  // holds only keys that exist, so its size is bounded by the keys admins create, not by what clients send
  private final Map<String, Remembered> byHash = new ConcurrentHashMap<>();
  private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Presence> presence = new AtomicReference<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  private record Remembered(VirtualKey key, long untilNanos) {
  }

  private record Presence(boolean any, long checkedAtNanos) {
  }

  public VirtualKeys(VirtualKeyStore store, boolean requireKeys) {
    this.store = store;
    this.requireKeys = requireKeys;
  }

  /** Stores the key under a fresh secret; the answer is that secret, which nothing keeps. */
  public Future<String> create(VirtualKey key) {
    String secret = KeySecrets.newSecret();
    return store.create(key, KeySecrets.hash(secret)).map(stored -> {
      presence.set(new Presence(true, System.nanoTime()));
      return secret;
    });
  }

  public Future<Optional<VirtualKey>> find(String id) {
    return store.findById(id);
  }

  public Future<List<VirtualKey>> list() {
    return store.list();
  }

  /** Revokes the key; from the moment this succeeds, this process refuses it (others within the memory time). */
  public Future<Optional<VirtualKey>> revoke(String id) {
    return store.revoke(id).andThen(revoked -> {
      if (revoked.succeeded() && revoked.result().isPresent()) {
        revokedHere.add(id);
        presence.set(null);   // that may have been the last key: ask the store again before trusting "keys exist"
      }
    });
  }

  /** The key whose secret this is, revoked or not, or empty; the store fails the future when it cannot answer. */
  public Future<Optional<VirtualKey>> authenticate(String secret) {
    String digest = KeySecrets.hash(secret);
    long now = System.nanoTime();
    Remembered remembered = byHash.get(digest);
    if (remembered != null && now - remembered.untilNanos() < 0) {
      return Future.succeededFuture(Optional.of(current(remembered.key())));
    }
    return store.findByHash(digest).map(found -> found.map(key -> {
      byHash.put(digest, new Remembered(key, now + MEMORY_NANOS));
      return current(key);
    }));
  }

  /**
   * Whether every request must carry a valid key: configured so, or at least one unrevoked key exists. Once known,
   * the answer is refreshed in the background and never waited for; only the first question waits for the store.
   */
  public Future<Boolean> required() {
    if (requireKeys) {
      return Future.succeededFuture(true);
    }
    Presence known = presence.get();
    if (known == null) {
      return countKeys();
    }
    if (System.nanoTime() - known.checkedAtNanos() >= MEMORY_NANOS && refreshing.compareAndSet(false, true)) {
      // a failed refresh keeps the last answer: while the store is down no key can be created or revoked anyway
      countKeys().onComplete(done -> refreshing.set(false));
    }
    return Future.succeededFuture(known.any());
  }

  /**
   * Learns whether keys exist before traffic arrives, so that requests do not wait for the store, nor fail when it
   * is unreachable after start. Completes either way.
   */
  public Future<Void> prime() {
    return required().<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Boolean> countKeys() {
    long askedAt = System.nanoTime();
    return store.activeCount().map(count -> {
      // a key created here while the count was on its way is newer than the count
      presence.updateAndGet(old -> old != null && old.checkedAtNanos() > askedAt ? old
        : new Presence(count > 0, System.nanoTime()));
      return count > 0;
    });
  }

  private VirtualKey current(VirtualKey key) {
    return !key.revoked() && revokedHere.contains(key.id()) ? key.asRevoked() : key;
  }
}
