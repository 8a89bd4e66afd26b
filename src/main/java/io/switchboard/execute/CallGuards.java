package io.switchboard.execute;

import io.switchboard.budget.Budgets;
import io.switchboard.config.GatewayConfig;
import io.switchboard.config.ProviderConfig;
import io.switchboard.limit.RateLimiter;

import java.util.HashMap;
import java.util.Map;

/**
 * What stands between a request and an upstream, shared by every event loop of a node: the models' circuit
 * breakers, the providers' key pools, the rate limits and the budgets.
 */
public record CallGuards(Breakers breakers, Map<String, KeyPool> keyPools, RateLimiter limiter, Budgets budgets) {

  public CallGuards {
    keyPools = Map.copyOf(keyPools);
  }

  public static CallGuards of(GatewayConfig config, Breakers breakers, RateLimiter limiter, Budgets budgets) {
    Map<String, KeyPool> pools = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      pools.put(provider.name(), new KeyPool(provider, System::currentTimeMillis));
    }
    return new CallGuards(breakers, pools, limiter, budgets);
  }
}
