package io.switchboard.auth;

import io.switchboard.store.LuaScript;
import io.switchboard.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Virtual keys in the Redis that gateway instances share, under the store's prefix:
 * {@code vkey:<digest>} a hash with the metadata JSON ({@code meta}) and, once revoked, {@code revoked};
 * {@code vkeys} a hash from id to digest; {@code vkeys:active} the set of unrevoked ids. A lookup by secret is one
 * {@code HMGET}; creating and revoking are Lua scripts, so no state is ever half written.
 */
public final class RedisVirtualKeyStore implements VirtualKeyStore {

  private static final LuaScript CREATE = LuaScript.load("vkey-create");
  private static final LuaScript REVOKE = LuaScript.load("vkey-revoke");

  private final RedisStore redis;
  private final String index;
  private final String active;

  public RedisVirtualKeyStore(RedisStore redis) {
    this.redis = redis;
    this.index = redis.key("vkeys");
    this.active = redis.key("vkeys", "active");
  }

  @Override
  public Future<Void> create(VirtualKey key, String secretHash) {
    return redis.eval(CREATE, List.of(keyOf(secretHash), index, active),
        List.of(key.id(), secretHash, key.toStorageJson().encode()))
      .compose(stored -> stored.toInteger() == 1 ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("a key with this id or secret exists already")));
  }

  @Override
  public Future<Optional<VirtualKey>> findByHash(String secretHash) {
    return redis.send(Request.cmd(Command.HMGET).arg(keyOf(secretHash)).arg("meta").arg("revoked"))
      .map(fields -> {
        Response meta = fields.get(0);
        return meta == null ? Optional.empty()
          : Optional.of(VirtualKey.fromStorageJson(new JsonObject(meta.toBuffer()), fields.get(1) != null));
      });
  }

  @Override
  public Future<Optional<VirtualKey>> findById(String id) {
    return redis.send(Request.cmd(Command.HGET).arg(index).arg(id))
      .compose(digest -> digest == null ? Future.succeededFuture(Optional.empty()) : findByHash(digest.toString()));
  }

  @Override
  public Future<List<VirtualKey>> list() {
    return redis.send(Request.cmd(Command.HVALS).arg(index))
      .compose(digests -> Future.all(digests.stream().map(digest -> findByHash(digest.toString())).toList()))
      .map(found -> found.<Optional<VirtualKey>>list().stream()
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(VirtualKey::createdAt).thenComparing(VirtualKey::id))
        .toList());
  }

  @Override
  public Future<Optional<VirtualKey>> revoke(String id) {
    return redis.send(Request.cmd(Command.HGET).arg(index).arg(id))
      .compose(digest -> digest == null ? Future.succeededFuture(null)
        : redis.eval(REVOKE, List.of(keyOf(digest.toString()), active), List.of(id)))
      .map(meta -> meta == null ? Optional.empty()
        : Optional.of(VirtualKey.fromStorageJson(new JsonObject(meta.toBuffer()), true)));
  }

  @Override
  public Future<Long> activeCount() {
    return redis.send(Request.cmd(Command.SCARD).arg(active)).map(Response::toLong);
  }

  private String keyOf(String secretHash) {
    return redis.key("vkey", secretHash);
  }
}
