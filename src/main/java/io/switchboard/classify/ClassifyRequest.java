package io.switchboard.classify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What the classifier reads: the request's messages (shared, never modified), the size of its tool
 * definitions, which count toward the prompt, and the request body's size, which decides where the work runs.
 */
public record ClassifyRequest(JsonArray messages, boolean toolsPresent, long toolsChars, long bodyBytes) {

  public ClassifyRequest {
    Objects.requireNonNull(messages, "messages");
  }

  public JsonObject toJson() {
    return new JsonObject().put("messages", messages).put("tools_present", toolsPresent).put("tools_chars", toolsChars)
      .put("body_bytes", bodyBytes);
  }

  public static ClassifyRequest fromJson(JsonObject json) {
    return new ClassifyRequest(json.getJsonArray("messages"), json.getBoolean("tools_present", false),
      json.getLong("tools_chars", 0L), json.getLong("body_bytes", 0L));
  }
}
