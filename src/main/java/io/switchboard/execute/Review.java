package io.switchboard.execute;

import io.switchboard.openai.ChatRequest;
import io.switchboard.route.Pipeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The second step of a pipeline: what the reviewer is asked. It gets the client's request unchanged (sampling,
 * tools, {@code response_format}, {@code stream}) with two messages appended to the conversation: the draft as
 * the assistant's turn, then the review prompt as a user turn.
 */
final class Review {

  private Review() {
  }

  /** The reviewer's request; empty when the draft has no text to review (it called tools). */
  static Optional<ChatRequest> request(ChatRequest original, Pipeline pipeline, Completion draft) {
    Optional<String> text = draftText(draft);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    JsonArray messages = original.messages().copy()
      .add(new JsonObject().put("role", "assistant").put("content", text.get()))
      .add(new JsonObject().put("role", "user").put("content", pipeline.reviewPrompt()));
    JsonObject body = original.body().copy().put("messages", messages);
    long added = text.get().length() + pipeline.reviewPrompt().length();
    return Optional.of(new ChatRequest(body, original.model(), messages, original.stream(), original.clientWantsUsage(),
      original.maxOutputTokens(), original.toolsPresent(), original.toolsChars(), original.bodyBytes() + added,
      original.options(), original.anthropicHeaders(), original.anthropic()));
  }

  /** The text of the draft's first choice, unless it called tools or said nothing. */
  static Optional<String> draftText(Completion draft) {
    JsonArray choices = draft.json().getJsonArray("choices", new JsonArray());
    if (choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)
      || !(choice.getValue("message") instanceof JsonObject message)) {
      return Optional.empty();
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls && !calls.isEmpty()) {
      return Optional.empty();
    }
    return message.getValue("content") instanceof String content && !content.isBlank()
      ? Optional.of(content) : Optional.empty();
  }
}
