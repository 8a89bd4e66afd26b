package io.switchboard.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin API's own listener. Without a master key it is unauthenticated, which is allowed only on a loopback
 * address: anyone who can reach it could mint keys.
 *
 * @param masterKeyEnv the environment variable that holds the master key
 * @param masterKey    the master key; never logged ({@link #toString} leaves it out)
 */
public record AdminConfig(String host, int port, String masterKeyEnv, Optional<String> masterKey) {

  static final int MIN_MASTER_KEY_LENGTH = 16;
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]+]?");

  static AdminConfig from(ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("host", "port", "master_key_env"));
    String host = r.string("host", "127.0.0.1");
    String variable = r.string("master_key_env", "SWITCHBOARD_MASTER_KEY");
    Optional<String> masterKey = Optional.ofNullable(env.get(variable)).filter(key -> !key.isEmpty());
    if (masterKey.isPresent() && masterKey.get().length() < MIN_MASTER_KEY_LENGTH) {
      throw new ConfigException(r.key("master_key_env") + ": the master key in " + variable + " must have at least "
        + MIN_MASTER_KEY_LENGTH + " characters");
    }
    if (masterKey.isEmpty() && !isLoopback(host)) {
      throw new ConfigException(r.key("host") + ": '" + host + "' is not a loopback address, so the admin API needs "
        + "a master key: set " + variable);
    }
    return new AdminConfig(host, r.intValue("port", 8081, 0, 65535), variable, masterKey);
  }

  /** Only names that need no DNS lookup count: "localhost" and loopback IP literals. */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IP_LITERAL.matcher(host).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "AdminConfig[" + host + ":" + port + ", master key " + (masterKey.isPresent() ? "set" : "not set") + " in "
      + masterKeyEnv + "]";
  }
}
