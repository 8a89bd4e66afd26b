package io.switchboard.config;

import java.util.Set;

/**
 * The HTTP listener.
 *
 * @param instances HTTP verticle instances; 0 means one per available core
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 */
public record ServerConfig(String host, int port, int instances, long maxBodyBytes, boolean accessLog) {

  static ServerConfig from(ConfigReader r) {
    r.allowOnly(Set.of("host", "port", "instances", "max_body_bytes", "access_log"));
    return new ServerConfig(
      r.string("host", "127.0.0.1"),
      r.intValue("port", 8080, 0, 65535),
      r.intValue("instances", 0, 0, 256),
      r.longValue("max_body_bytes", 8L * 1024 * 1024, 1024, 1L << 30),
      r.bool("access_log", true));
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
