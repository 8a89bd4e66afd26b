package io.switchboard.responses;

import io.switchboard.cost.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Response object of the Responses API: its request-derived fields ({@link #shell}), and the finished object
 * built from a chat completion ({@link #fromCompletion}) or from the items of a stream ({@link #finished}). Text and
 * refusals become one {@code message} item with {@code output_text} content, tool calls {@code function_call} items;
 * finish reason {@code length} makes the response {@code incomplete} with reason {@code max_output_tokens}.
 */
public final class ResponseObjects {

  private ResponseObjects() {
  }

  /** A new response id: {@code resp_} and the hex digits of the request's decision id. */
  public static String responseId(String decisionId) {
    String hex = decisionId.replaceAll("[^A-Za-z0-9]", "");
    return "resp_" + (hex.startsWith("req") ? hex.substring(3) : hex);
  }

  /** Whether {@code id} can be a response id of this gateway (anything else is never looked up). */
  public static boolean wellFormed(String id) {
    return id != null && id.matches("resp_[A-Za-z0-9]{1,96}");
  }

  /** The Response object before any output: what the request asked for, echoed, with status {@code in_progress}. */
  public static JsonObject shell(ResponsesRequest request, String id, long createdAtSeconds, String model) {
    JsonObject body = request.body();
    JsonObject reasoning = new JsonObject().putNull("effort").putNull("summary");
    if (body.getValue("reasoning") instanceof JsonObject asked) {
      reasoning.put("effort", asked.getValue("effort")).put("summary", asked.getValue("summary"));
    }
    JsonObject text = body.getValue("text") instanceof JsonObject t ? t.copy() : new JsonObject();
    if (!text.containsKey("format")) {
      text.put("format", new JsonObject().put("type", "text"));
    }
    return new JsonObject()
      .put("id", id)
      .put("object", "response")
      .put("created_at", createdAtSeconds)
      .put("status", "in_progress")
      .put("background", false)
      .putNull("error")
      .putNull("incomplete_details")
      .put("instructions", body.getValue("instructions"))
      .put("max_output_tokens", body.getValue("max_output_tokens"))
      .putNull("max_tool_calls")
      .put("model", model)
      .put("output", new JsonArray())
      .put("parallel_tool_calls", body.getBoolean("parallel_tool_calls", true))
      .put("previous_response_id", request.previousResponseId().orElse(null))
      .put("reasoning", reasoning)
      .put("store", request.store())
      .put("temperature", body.getValue("temperature") instanceof Number n ? n : 1.0)
      .put("text", text)
      .put("tool_choice", body.getValue("tool_choice") != null ? body.getValue("tool_choice") : "auto")
      .put("tools", body.getValue("tools") instanceof JsonArray tools ? tools : new JsonArray())
      .put("top_p", body.getValue("top_p") instanceof Number n ? n : 1.0)
      .put("truncation", "disabled")
      .putNull("usage")
      .put("user", body.getValue("user"))
      .put("metadata", body.getValue("metadata") instanceof JsonObject m ? m : new JsonObject());
  }

  /** The finished response for a whole chat completion. */
  public static JsonObject fromCompletion(JsonObject shell, JsonObject completion, Usage usage) {
    JsonObject choice = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
      && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    String finishReason = choice.getValue("finish_reason") instanceof String f ? f : null;
    String status = status(finishReason);
    String base = itemBase(shell);
    JsonArray output = new JsonArray();
    StringBuilder text = new StringBuilder();
    if (message.getValue("content") instanceof String s) {
      text.append(s);
    } else if (message.getValue("content") instanceof JsonArray parts) {
      parts.forEach(p -> {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String s) {
          text.append(s);
        }
      });
    }
    if (message.getValue("refusal") instanceof String refusal) {
      text.append(refusal);
    }
    if (!text.isEmpty()) {
      output.add(messageItem("msg_" + base + "_0", text.toString(), status));
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.getValue(i) instanceof JsonObject call && call.getValue("function") instanceof JsonObject f) {
          output.add(functionCallItem("fc_" + base + "_" + (output.size()), call.getString("id", "call_" + i),
            f.getString("name", ""), f.getValue("arguments") instanceof String a ? a : "", "completed"));
        }
      }
    }
    return finished(shell, output, finishReason, usage(usage, reasoningTokens(completion.getJsonObject("usage"))));
  }

  /** The shell with its output, status and usage: what {@code response.completed} and a JSON answer carry. */
  static JsonObject finished(JsonObject shell, JsonArray output, String finishReason, JsonObject usage) {
    String status = status(finishReason);
    JsonObject response = shell.copy().put("status", status).put("output", output).put("usage", usage);
    if (status.equals("incomplete")) {
      response.put("incomplete_details", new JsonObject()
        .put("reason", "content_filter".equals(finishReason) ? "content_filter" : "max_output_tokens"));
    }
    return response;
  }

  static String status(String finishReason) {
    return "length".equals(finishReason) || "content_filter".equals(finishReason) ? "incomplete" : "completed";
  }

  /** The Responses usage object: input tokens include the cached ones, as OpenAI counts them. */
  static JsonObject usage(Usage usage, long reasoningTokens) {
    return new JsonObject()
      .put("input_tokens", usage.promptTokens())
      .put("input_tokens_details", new JsonObject().put("cached_tokens", usage.cachedTokens()))
      .put("output_tokens", usage.completionTokens())
      .put("output_tokens_details", new JsonObject().put("reasoning_tokens", reasoningTokens))
      .put("total_tokens", usage.totalTokens());
  }

  /** The reasoning tokens an OpenAI usage object reports, 0 when it says nothing. */
  static long reasoningTokens(JsonObject usage) {
    return usage != null && usage.getValue("completion_tokens_details") instanceof JsonObject details
      && details.getValue("reasoning_tokens") instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }

  static JsonObject messageItem(String id, String text, String status) {
    return new JsonObject().put("id", id).put("type", "message").put("status", status).put("role", "assistant")
      .put("content", new JsonArray().add(outputText(text)));
  }

  static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray())
      .put("logprobs", new JsonArray());
  }

  static JsonObject functionCallItem(String id, String callId, String name, String arguments, String status) {
    return new JsonObject().put("id", id).put("type", "function_call").put("status", status).put("call_id", callId)
      .put("name", name).put("arguments", arguments);
  }

  /** What item ids of a response share: its id's hex digits. */
  static String itemBase(JsonObject shell) {
    return shell.getString("id").substring("resp_".length());
  }
}
