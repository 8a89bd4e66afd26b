package io.switchboard.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.switchboard.config.GatewayConfig;
import io.switchboard.openai.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;

/**
 * Refuses, with 403 {@code model_not_allowed}, a request for a model its key's allow-list leaves out. Runs after the
 * body handler and reads only the top-level {@code model} of the body, and only for keys with an allow-list; a body
 * it cannot read goes on to the request's own validation, which answers with the precise error.
 */
public final class ModelAccess {

  static final String MODEL_NOT_ALLOWED = "model_not_allowed";
  private static final JsonFactory JSON = new JsonFactory();

  private final GatewayConfig config;

  public ModelAccess(GatewayConfig config) {
    this.config = config;
  }

  public void check(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String model = caller.allowedModels().isEmpty() ? null : requestedModel(ctx.body().buffer());
    if (model != null && !allows(caller, model)) {
      ctx.fail(new ApiError(403, ApiError.INVALID_REQUEST, MODEL_NOT_ALLOWED, "model",
        "This API key may not use the requested model; its allowed models are listed by the gateway's admin", 0)
        .exception());
      return;
    }
    ctx.next();
  }

  /** Whether a key may ask for {@code model}: by its own name, or by the model or policy it stands for. */
  boolean allows(Caller caller, String model) {
    return caller.mayUse(model) || caller.mayUse(resolve(model));
  }

  /** A name clients may put in {@code model}: a model, an alias, a policy or "auto". */
  static boolean isKnown(GatewayConfig config, String name) {
    return name.equals("auto") || config.models().containsKey(name) || config.aliases().containsKey(name)
      || config.routing().policies().containsKey(name);
  }

  private String resolve(String model) {
    if (model.equals("auto")) {
      return config.routing().defaultPolicy();
    }
    return config.aliases().getOrDefault(model, model);
  }

  private static String requestedModel(Buffer body) {
    if (body == null) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("model")) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
