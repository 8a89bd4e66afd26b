package io.switchboard.responses;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A finished response as it is kept for {@code GET /v1/responses/{id}} and {@code previous_response_id}: the Response
 * object the client got, and the input items that led to it (those of the responses it continued included, the
 * instructions not: they are never carried into a continuation).
 */
public record StoredResponse(JsonObject response, JsonArray input) {

  public String id() {
    return response.getString("id");
  }

  /** The conversation a continuation starts from: this response's input, then its output items. */
  public JsonArray conversation() {
    JsonArray items = input.copy();
    response.getJsonArray("output", new JsonArray()).forEach(items::add);
    return items;
  }

  public Buffer toBuffer() {
    return new JsonObject().put("response", response).put("input", input).toBuffer();
  }

  public static StoredResponse fromBuffer(Buffer buffer) {
    JsonObject json = buffer.toJsonObject();
    return new StoredResponse(json.getJsonObject("response"), json.getJsonArray("input"));
  }
}
