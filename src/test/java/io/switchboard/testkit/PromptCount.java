package io.switchboard.testkit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How the fake provider counts a chat's prompt tokens, written from OpenAI's published recipe (o200k_base; 3
 * tokens per message plus its string fields, text parts and tool calls; 3 priming the reply; tool definitions as
 * their JSON), independently of the gateway's counter so that the two can be compared.
 */
final class PromptCount {

  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private PromptCount() {
  }

  static int of(JsonObject body) {
    int tokens = 3;
    for (Object value : body.getJsonArray("messages", new JsonArray())) {
      JsonObject message = (JsonObject) value;
      tokens += 3;
      for (String key : message.fieldNames()) {
        Object field = message.getValue(key);
        if (field instanceof String text) {
          tokens += O200K.countTokensOrdinary(text);
        } else if (field instanceof JsonArray array && key.equals("content")) {
          for (Object part : array) {
            String text = ((JsonObject) part).getString("text");
            tokens += text == null ? 0 : O200K.countTokensOrdinary(text);
          }
        } else if (field instanceof JsonArray array && key.equals("tool_calls")) {
          for (Object call : array) {
            JsonObject function = ((JsonObject) call).getJsonObject("function");
            tokens += O200K.countTokensOrdinary(function.getString("name"))
              + O200K.countTokensOrdinary(function.getString("arguments"));
          }
        }
      }
    }
    JsonArray tools = body.getJsonArray("tools");
    return tools == null ? tokens : tokens + O200K.countTokensOrdinary(tools.encode());
  }
}
