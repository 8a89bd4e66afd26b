package io.switchboard.cache;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.config.CacheConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.Usage;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Completion;
import io.switchboard.execute.Routed;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * When the response cache is asked and written. Only deterministic requests take part ({@code temperature: 0}, or
 * {@code "switchboard": {"cache": true}}), one answer each ({@code n} above 1 never); {@code "switchboard":
 * {"cache": false}} or {@code Cache-Control: no-store} keep a request away from it, {@code Cache-Control: no-cache}
 * skips the lookup but stores the fresh answer. The cache fails open: a store that cannot be read is a miss.
 */
public final class ResponseCaching {

  public static final String HEADER = "x-switchboard-cache";
  private static final Logger LOG = LoggerFactory.getLogger(ResponseCaching.class);

  private final CacheConfig config;
  private final ResponseCache cache;
  private final GatewayMeters meters;
  private final Set<String> models;

  public ResponseCaching(GatewayConfig config, ResponseCache cache, GatewayMeters meters) {
    this.config = config.cache();
    this.cache = cache;
    this.meters = meters;
    this.models = config.models().keySet();
  }

  /** Looks {@code request} up for {@code tenant}; never fails, and waits at most the store's timeout. */
  public Future<CacheLookup> lookup(String tenant, ChatRequest request, MultiMap headers) {
    if (!config.enabled()) {
      return Future.succeededFuture(CacheLookup.OFF);
    }
    if (!cacheable(request)) {
      return counted(CacheLookup.BYPASS);
    }
    Set<String> directives = cacheControl(headers);
    if (directives.contains("no-store")) {
      return counted(CacheLookup.BYPASS);
    }
    CacheKey key = CacheKey.of(tenant, request.body());
    if (directives.contains("no-cache")) {
      return counted(CacheLookup.miss(key));
    }
    return cache.get(key).transform(read -> {
      if (read.failed()) {
        LOG.debug("response cache unreadable, serving as a miss: {}", read.cause().toString());
        meters.cacheRequest("error");
        return Future.succeededFuture(CacheLookup.UNAVAILABLE);
      }
      // an entry naming a model this gateway does not have (another configuration on the same Redis) cannot be billed
      Optional<CachedAnswer> usable = read.result().filter(answer -> models.contains(answer.model()));
      return counted(usable.map(CacheLookup::hit).orElseGet(() -> CacheLookup.miss(key)));
    });
  }

  /**
   * Stores a finished answer when its lookup allows it and it is whole: every choice finished, no bigger than
   * {@code max_entry_bytes}, and answered by the model the request was routed to (a fallback's answer is served,
   * not remembered).
   */
  public void store(CacheLookup lookup, ChatService.ChatResult result) {
    Completion completion = result.completion();
    // an answer relayed in the client's own dialect is kept in the chat form, as every entry is
    Buffer body = completion.sameDialect() ? completion.json().toBuffer() : completion.body();
    store(lookup, result.routed(), body, completion.json(), completion.usage());
  }

  /** A rebuilder for a stream whose answer may be stored (see {@link #store(CacheLookup, Routed, StreamAssembler)}). */
  public Optional<StreamAssembler> assembler(CacheLookup lookup) {
    return lookup.storeUnder().map(key -> new StreamAssembler(config.maxEntryBytes()));
  }

  /**
   * Stores a stream that ended whole, as the completion its chunks rebuild, on the same terms as a JSON answer;
   * and only with the usage the provider reported (an answer stored with an estimate would be billed as one).
   */
  public void store(CacheLookup lookup, Routed servedBy, StreamAssembler assembler) {
    assembler.completion().ifPresent(completion -> {
      Usage usage = Usage.fromOpenAi(completion.getJsonObject("usage"));
      if (usage != null) {
        store(lookup, servedBy, completion.toBuffer(), completion, usage);
      }
    });
  }

  private void store(CacheLookup lookup, Routed routed, Buffer body, JsonObject json, Usage usage) {
    if (lookup.storeUnder().isEmpty() || !finished(json) || body.length() > config.maxEntryBytes()
      || !routed.model().id().equals(routed.decision().model())) {
      return;
    }
    CachedAnswer answer = new CachedAnswer(body, routed.model().id(), routed.decision().policy(),
      routed.classification().taskType().wireName(), routed.classification().complexity().wireName(), usage);
    cache.put(lookup.storeUnder().get(), answer, config.ttl())
      .onFailure(failure -> LOG.debug("response cache write failed: {}", failure.toString()));
  }

  static boolean cacheable(ChatRequest request) {
    Optional<Boolean> asked = request.options().cache();
    if (asked.isPresent() && !asked.get()) {
      return false;
    }
    if (request.body().getValue("n") instanceof Number n && n.longValue() > 1) {
      return false;
    }
    return asked.orElse(false) || request.body().getValue("temperature") instanceof Number t && t.doubleValue() == 0;
  }

  private static boolean finished(JsonObject completion) {
    if (!(completion.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()) {
      return false;
    }
    for (int i = 0; i < choices.size(); i++) {
      if (!(choices.getValue(i) instanceof JsonObject choice) || choice.getValue("finish_reason") == null) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> cacheControl(MultiMap headers) {
    Set<String> directives = new HashSet<>();
    for (String value : headers.getAll(HttpHeaders.CACHE_CONTROL)) {
      for (String directive : value.split(",")) {
        directives.add(directive.trim().toLowerCase(Locale.ROOT));
      }
    }
    return directives;
  }

  private Future<CacheLookup> counted(CacheLookup lookup) {
    meters.cacheRequest(lookup.status().wireName());
    return Future.succeededFuture(lookup);
  }
}
