package io.switchboard.config;

import java.util.List;

/**
 * A cascade policy: {@code tiers} from cheapest to most capable. A request goes to the first tier capable of its
 * task and complexity; the capable tiers after it are its escalation order.
 */
public record CascadeConfig(List<String> tiers) {

  public CascadeConfig {
    tiers = List.copyOf(tiers);
  }

  static CascadeConfig from(ConfigReader r) {
    List<String> tiers = r.stringList("tiers");
    if (tiers.isEmpty()) {
      throw new ConfigException(r.key("tiers") + ": is required (models from cheapest to most capable)");
    }
    if (tiers.stream().distinct().count() != tiers.size()) {
      throw new ConfigException(r.key("tiers") + ": names a model twice");
    }
    return new CascadeConfig(tiers);
  }
}
