package io.switchboard.config;

import java.time.Duration;
import java.util.Set;

/**
 * The store behind the OpenAI Responses API's {@code store} and {@code previous_response_id}: finished responses
 * are kept per tenant in Redis when a {@code redis} section is configured, else in this process's memory.
 *
 * @param ttl         how long a stored response can be read and continued
 * @param maxEntries  in memory: most responses kept; the least recently used go first
 * @param maxBytes    in memory: most bytes kept, all responses together (a larger single one is not stored)
 */
public record ResponsesConfig(Duration ttl, int maxEntries, long maxBytes) {

  static ResponsesConfig from(ConfigReader r) {
    r.allowOnly(Set.of("ttl_seconds", "max_entries", "max_bytes"));
    return new ResponsesConfig(Duration.ofSeconds(r.longValue("ttl_seconds", 86_400, 1, 30L * 86_400)),
      r.intValue("max_entries", 10_000, 1, 10_000_000), r.longValue("max_bytes", 64L * 1024 * 1024, 1024, 1L << 40));
  }
}
