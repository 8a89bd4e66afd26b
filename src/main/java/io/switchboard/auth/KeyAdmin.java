package io.switchboard.auth;

import io.switchboard.config.GatewayConfig;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.switchboard.openai.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code POST /admin/keys} creates a virtual key and shows its secret this once; {@code GET /admin/keys} and
 * {@code GET /admin/keys/:id} show keys without secrets; {@code DELETE /admin/keys/:id} revokes one.
 */
public final class KeyAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(KeyAdmin.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final VirtualKeys keys;
  private final GatewayConfig config;
  private final Clock clock;

  public KeyAdmin(VirtualKeys keys, GatewayConfig config, Clock clock) {
    this.keys = keys;
    this.config = config;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/admin/keys").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::create);
    router.get("/admin/keys").handler(this::list);
    router.get("/admin/keys/:id").handler(this::get);
    router.delete("/admin/keys/:id").handler(this::revoke);
  }

  private void create(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw ApiError.invalid("invalid_json", null, "The request body is empty: send a JSON object").exception();
    }
    VirtualKey key = NewKeyRequest.parse(StrictJson.parseObject(raw), config, KeySecrets.newId(), clock.instant());
    keys.create(key)
      .onSuccess(secret -> {
        LOG.info("Virtual key {} created", key.id());
        json(ctx, 201, new JsonObject().put("id", key.id()).put("key", secret).mergeIn(key.toJson()));
      })
      .onFailure(failure -> ctx.fail(storeFailure(failure)));
  }

  private void list(RoutingContext ctx) {
    keys.list()
      .onSuccess(all -> json(ctx, 200, new JsonObject().put("object", "list")
        .put("data", new JsonArray(all.stream().map(VirtualKey::toJson).toList()))))
      .onFailure(failure -> ctx.fail(storeFailure(failure)));
  }

  private void get(RoutingContext ctx) {
    keys.find(ctx.pathParam("id"))
      .onSuccess(found -> answer(ctx, found))
      .onFailure(failure -> ctx.fail(storeFailure(failure)));
  }

  private void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    keys.revoke(id)
      .onSuccess(revoked -> {
        revoked.ifPresent(key -> LOG.info("Virtual key {} revoked", key.id()));
        answer(ctx, revoked);
      })
      .onFailure(failure -> ctx.fail(storeFailure(failure)));
  }

  private static void answer(RoutingContext ctx, Optional<VirtualKey> key) {
    if (key.isEmpty()) {
      ctx.fail(new ApiError(404, ApiError.INVALID_REQUEST, "key_not_found", "id", "No virtual key has this id", 0)
        .exception());
      return;
    }
    json(ctx, 200, key.get().toJson());
  }

  private static ApiException storeFailure(Throwable failure) {
    if (failure instanceof ApiException refusal) {
      return refusal;
    }
    LOG.warn("The virtual key store failed an admin request: {}", failure.toString());
    return Authenticator.UNAVAILABLE.exception();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
