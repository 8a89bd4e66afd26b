package io.switchboard.cache;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Where one answer is cached: SHA-256 digests only, so a key never reveals a prompt or a tenant.
 *
 * @param scope  the tenant's own part of the key space (a digest of the tenant): nothing is shared across it
 * @param digest SHA-256 of the tenant and the canonical request: the model or policy as the client named it,
 *               the messages, tools, tool choice, response format, sampling parameters and every other field,
 *               except those that only shape the delivery ({@code stream}, {@code stream_options})
 */
public record CacheKey(String scope, String digest) {

  /** Fields that change how an answer is delivered, not the answer: a stream may replay a JSON answer. */
  private static final Set<String> DELIVERY_FIELDS = Set.of("stream", "stream_options");
  /** Part of every hashed form: changing the canonical form must change every key, not reuse old entries. */
  private static final String VERSION = "switchboard-cache-v1";

  public static CacheKey of(String tenant, JsonObject body) {
    Map<String, Object> answerFields = new HashMap<>();
    body.getMap().forEach((field, value) -> {
      if (!DELIVERY_FIELDS.contains(field)) {
        answerFields.put(field, value);
      }
    });
    StringBuilder canonical = new StringBuilder(256).append(VERSION).append('\n');
    CanonicalJson.write(tenant, canonical);
    canonical.append('\n');
    CanonicalJson.write(answerFields, canonical);
    byte[] scope = sha256(VERSION + '\n' + tenant);
    return new CacheKey(HexFormat.of().formatHex(Arrays.copyOf(scope, 16)), HexFormat.of().formatHex(sha256(canonical)));
  }

  private static byte[] sha256(CharSequence text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
