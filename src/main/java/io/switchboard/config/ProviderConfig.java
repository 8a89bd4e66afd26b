package io.switchboard.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One OpenAI-compatible upstream (OpenAI, Groq, OpenRouter, DeepSeek, Together, Ollama, vLLM...).
 * The API key is never in the file: {@code api_key_env} names an environment variable and
 * {@code api_key_file} a file that holds it. The resolved key is never logged, put in a metric or echoed.
 *
 * @param idleTimeoutMillis longest silence while waiting for the first byte or between two chunks
 */
public record ProviderConfig(String name, String baseUrl, String apiKeyEnv, String apiKeyFile, Map<String, String> headers,
                             long connectTimeoutMillis, long idleTimeoutMillis, int maxConnections, long maxResponseBytes,
                             Optional<String> apiKey) {

  public ProviderConfig {
    headers = Map.copyOf(headers);
  }

  static ProviderConfig from(String name, ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("base_url", "api_key_env", "api_key_file", "headers", "connect_timeout_ms", "idle_timeout_ms",
      "max_connections", "max_response_bytes"));
    String baseUrl = r.requiredString("base_url");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException(r.key("base_url") + ": must start with http:// or https://");
    }
    String keyEnv = r.string("api_key_env", null);
    String keyFile = r.string("api_key_file", null);
    return new ProviderConfig(name, stripSlash(baseUrl), keyEnv, keyFile, r.stringMap("headers"),
      r.longValue("connect_timeout_ms", 5_000, 1, 600_000),
      r.longValue("idle_timeout_ms", 60_000, 1, 3_600_000),
      r.intValue("max_connections", 256, 1, 100_000),
      r.longValue("max_response_bytes", 64L * 1024 * 1024, 1024, 1L << 34),
      resolveKey(r, keyEnv, keyFile, env));
  }

  private static Optional<String> resolveKey(ConfigReader r, String keyEnv, String keyFile, Map<String, String> env) {
    if (keyFile != null) {
      try {
        return Optional.of(Files.readString(Path.of(keyFile)).strip()).filter(k -> !k.isEmpty());
      } catch (IOException e) {
        throw new ConfigException(r.key("api_key_file") + ": cannot read " + keyFile);
      }
    }
    return keyEnv == null ? Optional.empty() : Optional.ofNullable(env.get(keyEnv)).map(String::strip).filter(k -> !k.isEmpty());
  }

  /** True when the provider expects a key (it names where to find one) but none was found. */
  public boolean keyMissing() {
    return apiKey.isEmpty() && (apiKeyEnv != null || apiKeyFile != null);
  }

  /** Where an operator should put the key, for error messages. */
  public String keySource() {
    return apiKeyFile != null ? "the file " + apiKeyFile : "the environment variable " + apiKeyEnv;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "ProviderConfig[" + name + ", " + baseUrl + "]";
  }
}
