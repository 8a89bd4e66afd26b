package io.switchboard.config;

import java.util.Set;

/**
 * How clients of the data plane ({@code /v1/*}) authenticate.
 *
 * @param requireKeys refuse requests without a valid virtual key even while no key exists; without it the gateway
 *                    is open until the first virtual key is created
 */
public record AuthConfig(boolean requireKeys) {

  static AuthConfig from(ConfigReader r) {
    r.allowOnly(Set.of("require_keys"));
    return new AuthConfig(r.bool("require_keys", false));
  }
}
