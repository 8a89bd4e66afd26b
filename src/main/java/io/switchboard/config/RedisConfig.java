package io.switchboard.config;

import java.util.Map;
import java.util.Set;

/**
 * Where the state shared between gateway instances lives. Absent from the configuration, every store is the
 * in-memory one of a single node.
 *
 * @param url            {@code redis://[:password@]host:port[/db]}; a password may also come from {@code password_env}
 * @param keyPrefix      prepended to every key, so several gateways (or other users) can share one Redis
 * @param timeoutMillis  longest wait for any one Redis reply (and for a connection): past it the store's
 *                       failure policy answers instead
 * @param maxPoolSize    pooled connections per gateway process
 * @param instances      how many gateway instances share this Redis: while Redis is unreachable each one
 *                       enforces its share (limit / instances) of every rate limit locally
 */
public record RedisConfig(String url, String keyPrefix, long timeoutMillis, int maxPoolSize, int instances) {

  static RedisConfig from(ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("url", "password_env", "key_prefix", "timeout_ms", "max_pool_size", "instances"));
    String url = r.requiredString("url");
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new ConfigException(r.key("url") + ": must start with redis:// or rediss://");
    }
    String passwordEnv = r.string("password_env", null);
    if (passwordEnv != null) {
      String password = env.get(passwordEnv);
      if (password == null || password.isEmpty()) {
        throw new ConfigException(r.key("password_env") + ": environment variable " + passwordEnv + " is not set");
      }
      int scheme = url.indexOf("://") + 3;
      url = url.substring(0, scheme) + ":" + password + "@" + url.substring(scheme);
    }
    return new RedisConfig(url, r.string("key_prefix", "switchboard:"), r.longValue("timeout_ms", 250, 1, 60_000),
      r.intValue("max_pool_size", 8, 1, 1024), r.intValue("instances", 1, 1, 10_000));
  }

  /** The address without any password, for logs. */
  public String displayUrl() {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }

  @Override
  public String toString() {
    return "RedisConfig[" + displayUrl() + ", prefix=" + keyPrefix + ", timeout=" + timeoutMillis + "ms]";
  }
}
