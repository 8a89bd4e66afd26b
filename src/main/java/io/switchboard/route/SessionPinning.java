package io.switchboard.route;

import io.switchboard.config.ModelConfig;
import io.switchboard.config.Prices;
import io.switchboard.cost.Money;

import java.util.List;

/**
 * Keeps a session on the model whose provider holds its prompt cache, unless switching saves more than that cache
 * is worth. Both sides are estimates in micro-dollars for this request: the saving is the pinned model's estimated
 * cost minus the policy's choice's; the cache value is the cacheable prefix priced at the pinned model's input rate
 * minus its cached-input rate (what staying would not pay). A pin is dropped when the pinned model cannot serve the
 * request (context window, constraints) and never overrides a {@code no_compromise} rule; a pin with nothing
 * cacheable (a prefix too short to cache, or one trimming rewrote) is ignored.
 */
final class SessionPinning {

  private SessionPinning() {
  }

  /** The model to serve {@code s} with: {@code chosen}, or the session's pinned model; explained in reasons. */
  static String apply(Situation s, Choice choice, String chosen, List<String> reasons) {
    CachePin pin = s.request.pin();
    if (pin == null || pin.cacheableTokens() == 0) {
      return chosen;   // no warm cache to keep
    }
    String pinned = pin.model();
    ModelConfig model = s.model(pinned);
    if (model == null) {
      return chosen;   // a model no longer configured
    }
    if (pinned.equals(chosen)) {
      reasons.add("session stays on '" + pinned + "' (" + pin.cacheableTokens() + " tokens of prompt cache there)");
      return chosen;
    }
    Candidate candidate = s.candidate(pinned);
    if (!candidate.allowed()) {
      reasons.add("session pin to '" + pinned + "' dropped: " + (candidate.fits()
        ? "it breaks " + candidate.excludedBy() : "the prompt no longer fits it"));
      return chosen;
    }
    if (choice.noCompromise()) {
      reasons.add("session pin to '" + pinned + "' not kept: the rule is no_compromise");
      return chosen;
    }
    long saving = s.cost(pinned) - s.cost(chosen);
    long cacheValue = cacheValue(model.prices(), pin.cacheableTokens(), s.promptTokens);
    if (saving > cacheValue) {
      reasons.add("session moved from '" + pinned + "' to '" + chosen + "': switching saves $" + Money.usd(saving)
        + ", more than the $" + Money.usd(cacheValue) + " of cache lost");
      return chosen;
    }
    reasons.add("pinned to '" + pinned + "': switching to '" + chosen + "' would "
      + (saving > 0 ? "save $" + Money.usd(saving) + " but" : "cost $" + Money.usd(-saving) + " more and")
      + " lose $" + Money.usd(cacheValue) + " of cache");
    return pinned;
  }

  /** What reading {@code cacheable} tokens from the cache saves against paying the full input rate for them. */
  static long cacheValue(Prices prices, long cacheable, long promptTokens) {
    long rate = prices.longContext(promptTokens) ? prices.longContextInput() : prices.input();
    long perMillion = Math.multiplyExact(Math.min(cacheable, promptTokens), Math.max(0, rate - prices.cachedInput()));
    return (perMillion + 500_000) / 1_000_000;
  }
}
