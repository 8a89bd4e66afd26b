package io.switchboard.session;

import io.switchboard.config.SessionsConfig;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * What the gateway remembers of a session, in a {@link SessionStore}: the model that served each of its threads last
 * (its pin, with that request's prompt size), and the system prompt of its first agent turn (its main thread; other
 * system prompts with tools are sub-agents). A store that fails or times out reads as a session with nothing known.
 */
public final class SessionPins {

  private static final Logger LOG = LoggerFactory.getLogger(SessionPins.class);

  /** The last model of a thread and the prompt tokens of the request it served. */
  public record Pin(String model, long promptTokens) {
  }

  /** What is known of a session; {@code mainSystem} is empty before its first agent turn. */
  public record Known(Optional<String> mainSystem, Optional<Pin> pin) {

    public static final Known NOTHING = new Known(Optional.empty(), Optional.empty());
  }

  /** Remembers nothing. */
  public static final SessionPins OFF = new SessionPins(null, SessionsConfig.DEFAULTS);

  private final SessionStore store;
  private final SessionsConfig config;

  public SessionPins(SessionStore store, SessionsConfig config) {
    this.store = store;
    this.config = config;
  }

  public boolean enabled() {
    return store != null && config.pinning();
  }

  public SessionsConfig config() {
    return config;
  }

  public Future<Known> lookup(SessionKeys keys, String policy) {
    if (!enabled()) {
      return Future.succeededFuture(Known.NOTHING);
    }
    return store.get(List.of(mainKey(keys), pinKey(keys, policy)))
      .map(values -> new Known(Optional.ofNullable(values.get(0)), pin(values.get(1))))
      .otherwise(failure -> {
        LOG.debug("session store did not answer ({}); routing unpinned", failure.toString());
        return Known.NOTHING;
      });
  }

  /**
   * Pins the thread to {@code model}, renewing its TTL; an agent turn (tools offered) of a named session records its
   * system prompt as the main one when the session has none yet, and renews it when it is the main one.
   */
  public void remember(SessionKeys keys, String policy, Known known, boolean agentTurn, String model,
                       long promptTokens) {
    if (!enabled()) {
      return;
    }
    if (agentTurn && !keys.source().equals("prompt")) {
      if (known.mainSystem().isEmpty()) {
        store.putIfAbsent(mainKey(keys), keys.systemDigest());
      } else if (known.mainSystem().get().equals(keys.systemDigest())) {
        store.put(mainKey(keys), keys.systemDigest());
      }
    }
    store.put(pinKey(keys, policy), new JsonObject().put("model", model).put("prompt_tokens", promptTokens).encode());
  }

  private static String mainKey(SessionKeys keys) {
    return "main:" + keys.identity();
  }

  private static String pinKey(SessionKeys keys, String policy) {
    return "pin:" + keys.pinKey(policy);
  }

  private static Optional<Pin> pin(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(value);
      return json.getValue("model") instanceof String model && json.getValue("prompt_tokens") instanceof Number n
        ? Optional.of(new Pin(model, n.longValue())) : Optional.empty();
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }
}
