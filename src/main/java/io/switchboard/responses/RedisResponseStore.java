package io.switchboard.responses;

import io.switchboard.config.ResponsesConfig;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Stored responses shared by every gateway on one Redis, under {@code <prefix>response:<tenant digest>:<id>} with
 * Redis's own expiry: the tenant is part of the key, so an id is only found by the tenant that created it. Each call
 * is one round trip bounded by {@code redis.timeout_ms}.
 */
public final class RedisResponseStore implements ResponseStore {

  private final RedisStore store;
  private final ResponsesConfig config;

  public RedisResponseStore(RedisStore store, ResponsesConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Future<Optional<StoredResponse>> get(String tenant, String id) {
    return store.send(Request.cmd(Command.GET).arg(redisKey(tenant, id)))
      .map(reply -> reply == null ? Optional.empty() : Optional.of(StoredResponse.fromBuffer(reply.toBuffer())));
  }

  @Override
  public Future<Void> put(String tenant, StoredResponse response) {
    return store.send(Request.cmd(Command.SET).arg(redisKey(tenant, response.id())).arg(response.toBuffer())
        .arg("PX").arg(config.ttl().toMillis()))
      .mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String tenant, String id) {
    return store.send(Request.cmd(Command.DEL).arg(redisKey(tenant, id))).map(reply -> reply.toInteger() > 0);
  }

  String redisKey(String tenant, String id) {
    return store.key("response", digest(tenant), id);
  }

  /** The tenant as 16 bytes of its SHA-256: keys never show a key id. */
  private static String digest(String tenant) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(Arrays.copyOf(hash, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
