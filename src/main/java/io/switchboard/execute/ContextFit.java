package io.switchboard.execute;

import io.switchboard.classify.PromptText;
import io.switchboard.classify.Scenario;
import io.switchboard.classify.TaskType;
import io.switchboard.config.ContextConfig;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.PolicyConfig;
import io.switchboard.openai.AnthropicOrigin;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Context optimisation, for requests routed by a policy with a {@code context} section: a prompt over
 * {@code max_prompt_tokens} loses its oldest turns, and {@code max_tokens} is capped by scenario or task type. The
 * fitted request is what is classified, routed, budgeted and sent upstream.
 *
 * <p>A turn is a user message, or an assistant message with the tool results that follow it, so a tool call is
 * never split from its results. System and developer messages, the tool definitions and the last
 * {@code keep_last_turns} turns are never removed; the removed turns are replaced by one user message saying how
 * many were removed. A request translated from Anthropic Messages that loses turns keeps its origin, which no longer
 * describes its messages (so an Anthropic upstream gets the trimmed conversation translated); one that is only
 * capped keeps its origin describing it, capped alike.
 *
 * <p>Pure and deterministic: the dispatcher fits a request before classifying it, and the execution path fits the
 * client's request again from the same inputs, getting the same result (message token counts are remembered).
 * Counting a large prompt takes milliseconds, so bodies over {@value #INLINE_LIMIT_BYTES} bytes that may need
 * trimming are fitted on a worker thread, as the classifier does.
 */
public final class ContextFit {

  /** Counts trims and caps; label values are policy names from the configuration. */
  public interface Observer {
    Observer NONE = new Observer() {
      @Override
      public void trimmed(String policy, long tokens) {
      }

      @Override
      public void capped(String policy) {
      }
    };

    void trimmed(String policy, long tokens);

    void capped(String policy);
  }

  /**
   * A request after trimming.
   *
   * @param removedTurns turns removed (0: the request is unchanged)
   * @param removedTokens prompt tokens those turns held, less the placeholder's
   */
  public record Trimmed(ChatRequest request, int removedTurns, long removedTokens, long limit, int keptTurns) {

    /** The trim, as a reason; empty when nothing was removed. */
    public Optional<String> reason() {
      return removedTurns == 0 ? Optional.empty() : Optional.of("context trimmed: the " + removedTurns
        + " oldest turns (" + removedTokens + " tokens) removed to fit " + limit + " prompt tokens, system prompt, "
        + "tools and the last " + keptTurns + " turns kept");
    }
  }

  static final String PLACEHOLDER = "[%d earlier turns of this conversation were removed to fit the context budget]";
  /** Bodies above this size that may need trimming are fitted off the event loop. */
  static final long INLINE_LIMIT_BYTES = 8 * 1024;

  private final GatewayConfig config;
  private final Observer observer;
  private final Vertx vertx;

  /** Fits every request on the calling thread. */
  public ContextFit(GatewayConfig config, Observer observer) {
    this(config, observer, null);
  }

  /** @param vertx runs the counting of large prompts on its worker pool */
  public ContextFit(GatewayConfig config, Observer observer, Vertx vertx) {
    this.config = config;
    this.observer = observer;
    this.vertx = vertx;
  }

  /** {@link #trim}, on a worker thread when the request is large enough to need counting. */
  public Future<Trimmed> trimmed(ChatRequest request, String model) {
    return offLoop(request, model) ? vertx.executeBlocking(() -> trim(request, model), false)
      : Future.succeededFuture(trim(request, model));
  }

  /** {@link #fit}, on a worker thread when the request is large enough to need counting. */
  public Future<ChatRequest> fitted(ChatRequest request, Routed routed) {
    return offLoop(request, routed.decision().policy()) ? vertx.executeBlocking(() -> fit(request, routed), false)
      : Future.succeededFuture(fit(request, routed));
  }

  private boolean offLoop(ChatRequest request, String model) {
    return vertx != null && request.bodyBytes() > INLINE_LIMIT_BYTES && !model.isEmpty()
      && policyOf(model).flatMap(PolicyConfig::context).map(c -> c.maxPromptTokens().isPresent()
        && request.bodyBytes() > c.maxPromptTokens().getAsLong()).orElse(false);
  }

  /** The policy that routes {@code model} (a policy name, or {@code auto}); empty for a named model or alias. */
  public Optional<PolicyConfig> policyOf(String model) {
    if (config.model(model).isPresent()) {
      return Optional.empty();
    }
    PolicyConfig policy = config.routing().policies().get(model);
    if (policy == null && model.equals("auto")) {
      policy = config.routing().policies().get(config.routing().defaultPolicy());
    }
    return Optional.ofNullable(policy);
  }

  /**
   * {@code request} with its oldest turns removed when the policy it is routed by ({@code model}: a policy name or
   * {@code auto}) asks for it and its prompt is over the limit.
   */
  public Trimmed trim(ChatRequest request, String model) {
    Optional<ContextConfig> context = policyOf(model).flatMap(PolicyConfig::context);
    if (context.isEmpty() || context.get().maxPromptTokens().isEmpty()) {
      return new Trimmed(request, 0, 0, 0, 0);
    }
    long limit = context.get().maxPromptTokens().getAsLong();
    int keep = context.get().keepLastTurns();
    // every token is at least a byte of the body: a body this small cannot be over the limit
    if (request.bodyBytes() <= limit) {
      return new Trimmed(request, 0, 0, limit, keep);
    }
    JsonArray messages = request.messages();
    long[] tokens = new long[messages.size()];
    List<Integer> turnStarts = new ArrayList<>();
    long total = 3 + (request.toolsChars() + 3) / 4;
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      tokens[i] = PromptText.tokens(message);
      total += tokens[i];
      String role = message.getString("role", "");
      boolean system = role.equals("system") || role.equals("developer");
      boolean followsCall = role.equals("tool") || role.equals("function");
      if (!system && !(followsCall && !turnStarts.isEmpty())) {
        turnStarts.add(i);
      }
    }
    int droppable = Math.max(0, turnStarts.size() - keep);
    if (total <= limit || droppable == 0) {
      return new Trimmed(request, 0, 0, limit, keep);
    }
    boolean[] removed = new boolean[messages.size()];
    long removedTokens = 0;
    int removedTurns = 0;
    while (removedTurns < droppable && total - removedTokens + placeholderTokens(removedTurns) > limit) {
      int from = turnStarts.get(removedTurns);
      int to = turnStarts.get(removedTurns + 1);   // a droppable turn is never the last one
      for (int i = from; i < to; i++) {
        String role = messages.getJsonObject(i).getString("role", "");
        if (!role.equals("system") && !role.equals("developer")) {
          removed[i] = true;
          removedTokens += tokens[i];
        }
      }
      removedTurns++;
    }
    JsonArray kept = new JsonArray();
    boolean placed = false;
    for (int i = 0; i < messages.size(); i++) {
      if (!removed[i]) {
        kept.add(messages.getValue(i));
      } else if (!placed) {
        kept.add(placeholder(removedTurns));
        placed = true;
      }
    }
    JsonObject body = request.body().copy().put("messages", kept);
    long bodyBytes = body.toBuffer().length();
    ChatRequest trimmed = new ChatRequest(body, request.model(), kept, request.stream(), request.clientWantsUsage(),
      request.maxOutputTokens(), request.toolsPresent(), request.toolsChars(), bodyBytes, request.options(),
      request.anthropicHeaders(), request.anthropic());
    return new Trimmed(trimmed, removedTurns, removedTokens - placeholderTokens(removedTurns), limit, keep);
  }

  /** The {@code max_tokens} cap of the policy {@code model} for this scenario and task type; 0 for none. */
  public long cap(String model, Scenario scenario, TaskType task) {
    return policyOf(model).flatMap(PolicyConfig::context).map(c -> c.cap(scenario, task)).orElse(0L);
  }

  /** What the cap of {@link #cap} is set for: {@code scenario X} or the task type. */
  String capSource(String model, Scenario scenario, TaskType task) {
    boolean byScenario = policyOf(model).flatMap(PolicyConfig::context)
      .map(c -> c.maxTokensBy().containsKey(scenario.wireName())).orElse(false);
    return byScenario ? "scenario " + scenario.wireName() : task.wireName();
  }

  /** Whether {@code cap} lowers the request's output limit. */
  public static boolean lowers(ChatRequest request, long cap) {
    return cap > 0 && (request.maxOutputTokens() == 0 || cap < request.maxOutputTokens());
  }

  /** Counts, once per request, what fitting it did. */
  void observe(String model, Trimmed trimmed, boolean capped) {
    policyOf(model).ifPresent(policy -> {
      if (trimmed.removedTurns() > 0) {
        observer.trimmed(policy.name(), trimmed.removedTokens());
      }
      if (capped) {
        observer.capped(policy.name());
      }
    });
  }

  /** {@code request} with {@code max_tokens} lowered to {@code cap} (when it lowers it). */
  public static ChatRequest capped(ChatRequest request, long cap) {
    if (!lowers(request, cap)) {
      return request;
    }
    JsonObject body = request.body().copy();
    body.put(body.containsKey("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", cap);
    Optional<AnthropicOrigin> origin = request.anthropic()
      .map(o -> new AnthropicOrigin(o.body().copy().put("max_tokens", cap), o.thinkingRequested(), o.messages()));
    return new ChatRequest(body, request.model(), request.messages(), request.stream(), request.clientWantsUsage(),
      cap, request.toolsPresent(), request.toolsChars(), request.bodyBytes(), request.options(),
      request.anthropicHeaders(), origin);
  }

  /**
   * The request as the execution path sends it: trimmed, then capped, for the policy, scenario and task it was
   * routed by (a request of a named model is sent as it is).
   */
  public ChatRequest fit(ChatRequest request, Routed routed) {
    String policy = routed.decision().policy();
    if (policy.isEmpty()) {
      return request;
    }
    ChatRequest trimmed = trim(request, policy).request();
    Scenario scenario = Scenario.fromWireName(routed.decision().scenario()).orElse(Scenario.DEFAULT);
    return capped(trimmed, cap(policy, scenario, routed.classification().taskType()));
  }

  private static JsonObject placeholder(int turns) {
    return new JsonObject().put("role", "user").put("content", String.format(PLACEHOLDER, turns));
  }

  private static long placeholderTokens(int turns) {
    return turns == 0 ? 0 : PromptText.tokens(placeholder(turns));
  }
}
