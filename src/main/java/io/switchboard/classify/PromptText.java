package io.switchboard.classify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The parts of a chat a classifier reads: the last user message, a bounded slice of the system prompt and
 * earlier turns, and the request's shape.
 */
public record PromptText(String lastUser, String context, RequestFeatures features) {

  /** Characters of system prompt and earlier turns handed to the classifier (about 128 tokens). */
  static final int CONTEXT_CHARS = 512;

  public static PromptText of(ClassifyRequest request) {
    JsonArray messages = request.messages();
    StringBuilder context = new StringBuilder();
    String lastUser = "";
    long tokens = 3;
    int turns = 0;
    int images = 0;
    int fences = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        continue;
      }
      String role = message.getString("role", "");
      StringBuilder text = new StringBuilder();
      images += appendContent(message.getValue("content"), text);
      appendToolCalls(message.getJsonArray("tool_calls"), text);
      tokens += TokenCounter.PER_MESSAGE_OVERHEAD + TokenCounter.countRemembered(text.toString());
      fences += countFences(text);
      if (role.equals("user") || role.equals("assistant")) {
        turns++;
      }
      if (role.equals("user")) {
        if (!lastUser.isEmpty()) {
          appendBounded(context, lastUser);
        }
        lastUser = text.toString();
      } else {
        appendBounded(context, text);
      }
    }
    tokens += (request.toolsChars() + 3) / 4;
    RequestFeatures features = new RequestFeatures(tokens, turns, request.toolsPresent(), fences / 2, images,
      tokens > RequestFeatures.LONG_CONTEXT_TOKENS);
    return new PromptText(lastUser, context.toString(), features);
  }

  /** The text of one chat message: its content's text parts and its tool calls' names and arguments. */
  public static String text(JsonObject message) {
    StringBuilder text = new StringBuilder();
    appendContent(message.getValue("content"), text);
    appendToolCalls(message.getJsonArray("tool_calls"), text);
    return text.toString();
  }

  /** Tokens one message adds to the prompt, counted as {@link #of} counts them. */
  public static long tokens(JsonObject message) {
    return TokenCounter.PER_MESSAGE_OVERHEAD + TokenCounter.countRemembered(text(message));
  }

  private static int appendContent(Object content, StringBuilder text) {
    if (content instanceof String s) {
      text.append(s);
      return 0;
    }
    int images = 0;
    if (content instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part) {
          String type = part.getString("type", "");
          if (type.equals("text") && part.getValue("text") instanceof String s) {
            text.append(s).append('\n');
          } else if (type.equals("image_url") || type.equals("image")) {
            images++;
          }
        }
      }
    }
    return images;
  }

  private static void appendToolCalls(JsonArray calls, StringBuilder text) {
    if (calls == null) {
      return;
    }
    for (int i = 0; i < calls.size(); i++) {
      if (calls.getValue(i) instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
        text.append(function.getString("name", "")).append(' ').append(function.getValue("arguments")).append('\n');
      }
    }
  }

  private static void appendBounded(StringBuilder context, CharSequence text) {
    int room = CONTEXT_CHARS - context.length();
    if (room > 0) {
      context.append(text, 0, Math.min(room, text.length())).append('\n');
    }
  }

  private static int countFences(CharSequence text) {
    int count = 0;
    for (int i = text.length() - 3; i >= 0; i--) {
      if (text.charAt(i) == '`' && text.charAt(i + 1) == '`' && text.charAt(i + 2) == '`') {
        count++;
        i -= 2;
      }
    }
    return count;
  }
}
