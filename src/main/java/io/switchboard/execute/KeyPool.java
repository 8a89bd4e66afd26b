package io.switchboard.execute;

import io.switchboard.config.ApiKeyConfig;
import io.switchboard.config.ProviderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The usable API keys of one provider on this node. A key the provider rejects (401/403) is disabled until
 * restart; a key the provider rate-limits (429) rests for its {@code Retry-After}, for that model only (providers
 * limit a key per model). Shared by every event loop.
 */
public final class KeyPool {

  private static final Logger LOG = LoggerFactory.getLogger(KeyPool.class);

  /** A key in use by one call; {@link #release()} once the call ends. */
  public static final class Lease {
    private final Key key;
    private boolean released;

    private Lease(Key key) {
      this.key = key;
    }

    public ApiKeyConfig key() {
      return key.config;
    }

    public void release() {
      if (!released) {
        released = true;
        key.inFlight.decrementAndGet();
      }
    }
  }

  private static final class Key {
    final ApiKeyConfig config;
    final String authorization;
    final AtomicInteger inFlight = new AtomicInteger();
    final java.util.concurrent.ConcurrentMap<String, AtomicLong> restUntilMillis =
      new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean disabled;

    Key(ApiKeyConfig config) {
      this.config = config;
      this.authorization = "Bearer " + config.secret().orElseThrow();
    }
  }

  private final ProviderConfig provider;
  private final List<Key> keys = new ArrayList<>();
  private final AtomicInteger turn = new AtomicInteger();
  private final LongSupplier clockMillis;

  public KeyPool(ProviderConfig provider, LongSupplier clockMillis) {
    this.provider = provider;
    this.clockMillis = clockMillis;
    provider.keys().stream().filter(k -> k.secret().isPresent()).map(Key::new).forEach(keys::add);
  }

  /** True for providers that take no key: calls go out without {@code Authorization}. */
  public boolean keyless() {
    return provider.keys().isEmpty();
  }

  /** A key usable for {@code model}, or null when every key is disabled or resting. */
  public Lease acquire(String model) {
    long now = clockMillis.getAsLong();
    Key chosen = null;
    int n = keys.size();
    if (provider.keySelection() == ProviderConfig.KeySelection.ROUND_ROBIN) {
      int start = Math.floorMod(turn.getAndIncrement(), Math.max(1, n));
      for (int i = 0; i < n && chosen == null; i++) {
        Key key = keys.get((start + i) % n);
        if (usable(key, model, now)) {
          chosen = key;
        }
      }
    } else {
      for (Key key : keys) {
        if (usable(key, model, now) && (chosen == null || key.inFlight.get() < chosen.inFlight.get())) {
          chosen = key;
        }
      }
    }
    if (chosen == null) {
      return null;
    }
    chosen.inFlight.incrementAndGet();
    return new Lease(chosen);
  }

  static String authorization(Lease lease) {
    return lease.key.authorization;
  }

  /** Milliseconds until a key resting for {@code model} can be used again; 0 when none rests. */
  public long nextAvailableInMillis(String model) {
    long now = clockMillis.getAsLong();
    long soonest = Long.MAX_VALUE;
    for (Key key : keys) {
      if (!key.disabled) {
        soonest = Math.min(soonest, Math.max(0, restUntil(key, model) - now));
      }
    }
    return soonest == Long.MAX_VALUE ? 0 : soonest;
  }

  /** The provider refused this key: never use it again on this node. */
  public void disable(Lease lease) {
    Key key = lease.key;
    if (!key.disabled) {
      key.disabled = true;
      LOG.warn("provider '{}' rejected its API key '{}' (HTTP 401/403): the key is disabled until restart; check {}",
        provider.name(), key.config.label(), key.config.source());
    }
  }

  /** The provider is rate limiting this key for {@code model}: leave that pair alone for {@code millis}. */
  public void rest(Lease lease, String model, long millis) {
    lease.key.restUntilMillis.computeIfAbsent(model, m -> new AtomicLong())
      .accumulateAndGet(clockMillis.getAsLong() + millis, Math::max);
  }

  private static boolean usable(Key key, String model, long now) {
    return !key.disabled && restUntil(key, model) <= now;
  }

  private static long restUntil(Key key, String model) {
    AtomicLong until = key.restUntilMillis.get(model);
    return until == null ? 0 : until.get();
  }
}
