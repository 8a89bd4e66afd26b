package io.switchboard.auth;

import io.switchboard.openai.ApiError;
import io.switchboard.openai.ApiException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Finds the {@link Caller} of a data-plane request from its {@code Authorization: Bearer} or {@code x-api-key}
 * header and attaches it to the routing context, or refuses the request with 401. A credential shaped like a virtual
 * key is always checked; any other one (SDKs send "unused" and the like) is ignored while keys are not required.
 * When the key store cannot answer, the request is refused with 503: never let through unchecked.
 */
public final class Authenticator {

  static final String INVALID_API_KEY = "invalid_api_key";
  static final String KEY_STORE_UNAVAILABLE = "key_store_unavailable";
  private static final String API_KEY_HEADER = "x-api-key";
  private static final ApiError MISSING = new ApiError(401, ApiError.INVALID_REQUEST, INVALID_API_KEY, null,
    "This gateway needs a virtual key: send it as 'Authorization: Bearer sk-sb-...' or 'x-api-key: sk-sb-...'", 0);
  private static final ApiError INVALID = new ApiError(401, ApiError.INVALID_REQUEST, INVALID_API_KEY, null,
    "The API key is not a virtual key of this gateway", 0);
  private static final ApiError REVOKED = new ApiError(401, ApiError.INVALID_REQUEST, INVALID_API_KEY, null,
    "The API key has been revoked", 0);
  static final ApiError UNAVAILABLE = new ApiError(503, ApiError.API_ERROR, KEY_STORE_UNAVAILABLE, null,
    "The gateway cannot check API keys right now (its key store did not answer); try again", 1);

  private final VirtualKeys keys;

  public Authenticator(VirtualKeys keys) {
    this.keys = keys;
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Optional<String> credential = credential(request);
    Future<Caller> caller = credential.filter(KeySecrets::looksLikeSecret)
      .map(secret -> keys.authenticate(secret).map(Authenticator::callerOf))
      .orElseGet(() -> keys.required().map(required -> {
        if (required) {
          throw (credential.isPresent() ? INVALID : MISSING).exception();
        }
        return Caller.ANONYMOUS;
      }));
    if (caller.isComplete()) {
      proceed(ctx, caller);
      return;
    }
    // the body must wait for the answer: the body handler after this one resumes the request
    request.pause();
    caller.onComplete(done -> {
      proceed(ctx, done);
      request.resume();   // on refusal, lets the unread body drain so the connection can serve the next request
    });
  }

  private static Caller callerOf(Optional<VirtualKey> found) {
    VirtualKey key = found.orElseThrow(INVALID::exception);
    if (key.revoked()) {
      throw REVOKED.exception();
    }
    return key.toCaller();
  }

  private static void proceed(RoutingContext ctx, AsyncResult<Caller> caller) {
    if (caller.succeeded()) {
      if (caller.result() != Caller.ANONYMOUS) {
        caller.result().attachTo(ctx);
      }
      ctx.next();
    } else {
      ctx.fail(caller.cause() instanceof ApiException refusal ? refusal : UNAVAILABLE.exception());
    }
  }

  private static Optional<String> credential(HttpServerRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String credential = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
      ? authorization.substring(7)
      : request.getHeader(API_KEY_HEADER);
    return Optional.ofNullable(credential).map(String::trim).filter(value -> !value.isEmpty());
  }
}
