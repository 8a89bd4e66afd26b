package io.switchboard.provider.anthropic;

import io.switchboard.classify.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Automatic prompt-cache breakpoints for Anthropic upstreams ({@code providers.X.auto_cache_control}). Anthropic
 * caches the prompt up to a block marked {@code cache_control}, in the order tools, system, messages; it ignores a
 * prefix shorter than a model-dependent minimum (1024 tokens for most models) and takes at most
 * {@value #MAX_BREAKPOINTS} marks. A request that marks nothing gets the static part of its prompt marked: the last
 * tool definition when the tools reach the minimum, the last system block when tools and system together do. A
 * request that marks anything is the client's own caching plan and is left alone.
 */
public final class CacheBreakpoints {

  /** Anthropic refuses a request with more marks than this. */
  static final int MAX_BREAKPOINTS = 4;

  private final long minTokens;

  /** @param minTokens the shortest prefix worth a mark */
  public CacheBreakpoints(long minTokens) {
    this.minTokens = minTokens;
  }

  /**
   * Marks the static prefix of {@code body} (an Anthropic Messages request) when it carries no mark. The
   * {@code tools} and {@code system} values it changes are replaced by changed copies, so the arrays and objects
   * they held are never modified.
   *
   * @return how many marks were added (0, 1 or 2)
   */
  public int add(JsonObject body) {
    if (marks(body) > 0) {
      return 0;
    }
    int added = 0;
    long toolTokens = 0;
    if (body.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()
      && tools.getValue(tools.size() - 1) instanceof JsonObject last) {
      toolTokens = TokenCounter.countRemembered(tools.encode());
      if (toolTokens >= minTokens) {
        JsonArray marked = tools.copy();
        marked.set(tools.size() - 1, last.copy().put("cache_control", ephemeral()));
        body.put("tools", marked);
        added++;
      }
    }
    Object system = body.getValue("system");
    long systemTokens = systemTokens(system);
    if (systemTokens > 0 && toolTokens + systemTokens >= minTokens && added < MAX_BREAKPOINTS) {
      if (system instanceof String text) {
        body.put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)
          .put("cache_control", ephemeral())));
        added++;
      } else if (system instanceof JsonArray blocks && blocks.getValue(blocks.size() - 1) instanceof JsonObject last) {
        JsonArray marked = blocks.copy();
        marked.set(blocks.size() - 1, last.copy().put("cache_control", ephemeral()));
        body.put("system", marked);
        added++;
      }
    }
    return added;
  }

  /** The {@code cache_control} marks of a request: on itself, tools, system blocks and message content blocks. */
  static int marks(JsonObject body) {
    int marks = body.getValue("cache_control") != null ? 1 : 0;
    marks += marked(body.getValue("tools"));
    marks += marked(body.getValue("system"));
    if (body.getValue("messages") instanceof JsonArray messages) {
      for (int i = 0; i < messages.size(); i++) {
        if (messages.getValue(i) instanceof JsonObject message) {
          marks += marked(message.getValue("content"));
        }
      }
    }
    return marks;
  }

  /** Marked blocks of a list, a tool result's own content blocks included. */
  private static int marked(Object blocks) {
    if (!(blocks instanceof JsonArray list)) {
      return 0;
    }
    int marks = 0;
    for (int i = 0; i < list.size(); i++) {
      if (list.getValue(i) instanceof JsonObject block) {
        marks += block.getValue("cache_control") != null ? 1 : 0;
        if ("tool_result".equals(block.getValue("type"))) {
          marks += marked(block.getValue("content"));
        }
      }
    }
    return marks;
  }

  private static long systemTokens(Object system) {
    if (system instanceof String text) {
      return TokenCounter.countRemembered(text);
    }
    long tokens = 0;
    if (system instanceof JsonArray blocks) {
      for (int i = 0; i < blocks.size(); i++) {
        if (blocks.getValue(i) instanceof JsonObject block && block.getValue("text") instanceof String text) {
          tokens += TokenCounter.countRemembered(text);
        }
      }
    }
    return tokens;
  }

  private static JsonObject ephemeral() {
    return new JsonObject().put("type", "ephemeral");
  }
}
