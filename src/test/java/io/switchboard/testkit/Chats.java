package io.switchboard.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Request bodies for tests. */
public final class Chats {

  private Chats() {
  }

  public static JsonObject chat(String model, String userText) {
    return new JsonObject().put("model", model)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)));
  }

  public static JsonObject streaming(String model, String userText) {
    return chat(model, userText).put("stream", true);
  }
}
