package io.switchboard.auth;

import io.switchboard.limit.Limits;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Who sent a request: the virtual key it carried, with that key's owner, or {@link #ANONYMOUS} when the gateway
 * runs without virtual keys. Set on the routing context before any handler that spends money runs.
 *
 * @param keyId         the virtual key's public id ("" when anonymous); never the secret itself
 * @param user          the key's user, "" when none
 * @param team          the key's team, "" when none
 * @param allowedModels models and policies the key may ask for; empty allows all
 * @param limits        the key's own per-minute limits, {@link Limits#NONE} when it has none
 * @param dailyBudgetMicros   the key's daily budget in micro-dollars, 0 when it has none
 * @param monthlyBudgetMicros the key's monthly budget in micro-dollars, 0 when it has none
 * @param conversationId      the conversation the request belongs to, as the client named it; "" when none
 */
public record Caller(String keyId, String user, String team, Set<String> allowedModels, Limits limits,
                     long dailyBudgetMicros, long monthlyBudgetMicros, String conversationId) {

  public static final Caller ANONYMOUS = new Caller("", "", "", Set.of(), Limits.NONE, 0, 0);
  public static final String CONVERSATION_HEADER = "x-switchboard-conversation-id";
  private static final String ATTRIBUTE = "switchboard.caller";

  public Caller {
    allowedModels = Set.copyOf(allowedModels);
  }

  public Caller(String keyId, String user, String team, Set<String> allowedModels, Limits limits,
                long dailyBudgetMicros, long monthlyBudgetMicros) {
    this(keyId, user, team, allowedModels, limits, dailyBudgetMicros, monthlyBudgetMicros, "");
  }

  public Caller withConversation(String id) {
    return new Caller(keyId, user, team, allowedModels, limits, dailyBudgetMicros, monthlyBudgetMicros,
      id == null ? "" : id);
  }

  /** The request's caller, in the conversation its {@code x-switchboard-conversation-id} header names. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(ATTRIBUTE);
    Caller known = caller == null ? ANONYMOUS : caller;
    String conversation = ctx.request().getHeader(CONVERSATION_HEADER);
    return conversation == null || conversation.isBlank() ? known : known.withConversation(conversation);
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(ATTRIBUTE, this);
  }

  /** The scope nothing is shared across: cached answers and spend of one tenant are never another's. */
  public String tenant() {
    return keyId.isEmpty() ? "anonymous" : "key:" + keyId;
  }

  public boolean mayUse(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }
}
