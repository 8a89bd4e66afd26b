package io.switchboard.cli;

import io.switchboard.config.ConfigLoader;
import io.switchboard.config.GatewayConfig;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Options of every command that talks to a running gateway's admin API. What is not given comes from the gateway's
 * configuration (the same file and environment {@code serve} reads): {@code admin.host}, {@code admin.port} and
 * {@code admin.master_key_env}.
 */
final class AdminOptions {

  @Option(names = "--url", paramLabel = "URL",
    description = "The admin API, e.g. http://127.0.0.1:8081 (default: admin.host and admin.port of the config)")
  private String url;

  @Option(names = "--admin-key-env", paramLabel = "VAR",
    description = "Environment variable holding the master key (default: admin.master_key_env of the config)")
  private String adminKeyEnv;

  @Option(names = "--conf", paramLabel = "FILE",
    description = "Gateway configuration the defaults come from (default: as serve finds it)")
  private String conf;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
    description = "How long to wait for an answer (default: ${DEFAULT-VALUE})")
  private long timeoutSeconds;

  AdminClient client(Map<String, String> env) {
    GatewayConfig config = url == null || adminKeyEnv == null ? config(env) : null;
    String variable = adminKeyEnv != null ? adminKeyEnv : config.admin().masterKeyEnv();
    Optional<String> key = Optional.ofNullable(env.get(variable)).filter(k -> !k.isEmpty());
    if (timeoutSeconds <= 0) {
      throw new CliException(Cli.USAGE, "--timeout: must be a positive number of seconds");
    }
    return new AdminClient(base(config), key, variable, Duration.ofSeconds(timeoutSeconds));
  }

  private URI base(GatewayConfig config) {
    if (url == null) {
      if (config.admin().port() == 0) {
        throw new CliException(Cli.USAGE, "admin.port is 0 (any free port) in the configuration: give --url");
      }
      String host = config.admin().host().contains(":") && !config.admin().host().startsWith("[")
        ? "[" + config.admin().host() + "]" : config.admin().host();
      return URI.create("http://" + host + ":" + config.admin().port() + "/");
    }
    try {
      URI uri = new URI(url.endsWith("/") ? url : url + "/");
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new CliException(Cli.USAGE, "--url: '" + url + "' is not an http:// or https:// URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliException(Cli.USAGE, "--url: '" + url + "' is not a URL (" + e.getReason() + ")");
    }
  }

  private GatewayConfig config(Map<String, String> env) {
    List<String> args = new ArrayList<>();
    if (conf != null) {
      args.addAll(List.of("--conf", conf));
    }
    return GatewayConfig.from(ConfigLoader.load(args, env), env);
  }
}
