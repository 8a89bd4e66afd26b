package io.switchboard.learn;

import io.switchboard.auth.Caller;
import io.switchboard.bus.Addresses;
import io.switchboard.experiment.Assignment;
import io.switchboard.experiment.Experiments;
import io.switchboard.openai.ChatRequest;
import io.switchboard.route.SuccessEstimates;
import io.vertx.core.eventbus.EventBus;

import java.util.Optional;

/**
 * What the routing path needs from learning and experiments: the estimates its in-place router reads, the
 * experiments that may reroute a request, and the fact it publishes for each request it routes.
 *
 * @param enabled      whether requests are announced for learning (feedback, retries) at all
 * @param watchRetries whether a digest of caller and prompt goes with each announcement
 */
public record Learning(SuccessEstimates estimates, Experiments experiments, boolean enabled, boolean watchRetries) {

  public static final Learning NONE = new Learning(SuccessEstimates.NONE, Experiments.NONE, false, false);

  /** Publishes {@link DecisionStarted} for a request about to be answered, when learning or an experiment wants it. */
  public void announce(EventBus bus, ChatRequest request, Caller caller, String decisionId,
                       Optional<Assignment> assignment) {
    if (!enabled && assignment.isEmpty()) {
      return;
    }
    long retryKey = enabled && watchRetries ? PromptDigest.of(retryScope(request, caller), request.messages()) : 0;
    bus.publish(Addresses.DECISION_STARTED, new DecisionStarted(decisionId, caller.tenant(), retryKey,
      assignment.map(Assignment::experiment).orElse(""), assignment.map(Assignment::arm).orElse(""),
      System.currentTimeMillis()));
  }

  /** Whose retry it would be: the tenant, the user (the key's, else the request's) and the conversation. */
  private static String retryScope(ChatRequest request, Caller caller) {
    String user = !caller.user().isEmpty() ? caller.user()
      : request.body().getValue("user") instanceof String u ? u : "";
    return caller.tenant() + "\n" + user + "\n" + caller.conversationId();
  }
}
