package io.switchboard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One upstream: OpenAI-compatible (OpenAI, Groq, OpenRouter, DeepSeek, Together, Ollama, vLLM...) or, by
 * {@code type}, Anthropic's Messages API or Google's Gemini API.
 * API keys are never in the file: each names an environment variable or a file that holds it, and is known
 * by its label. Resolved keys are never logged, put in a metric or echoed.
 *
 * @param keys the provider's API keys, in file order; empty for providers that need none
 * @param firstByteTimeoutMillis longest wait for the response head, counted from sending the request
 * @param idleTimeoutMillis longest silence within the response body
 * @param totalTimeoutMillis longest a single upstream call may take, body included
 * @param type the wire format the provider speaks
 * @param autoCacheControl for {@code anthropic}: mark a long static prefix (tools, system) cacheable when the request
 *                         marks nothing; see {@code io.switchboard.provider.anthropic.CacheBreakpoints}
 * @param autoCacheMinTokens the shortest prefix worth a breakpoint (the provider does not cache shorter ones)
 */
public record ProviderConfig(String name, Type type, String baseUrl, List<ApiKeyConfig> keys,
                             KeySelection keySelection, Map<String, String> headers, long connectTimeoutMillis,
                             long firstByteTimeoutMillis, long idleTimeoutMillis, long totalTimeoutMillis,
                             int maxConnections, long maxResponseBytes, boolean autoCacheControl,
                             long autoCacheMinTokens) {

  /** The wire format of a provider: the gateway translates the OpenAI chat format to and from it. */
  public enum Type {
    /** OpenAI chat completions: requests and answers pass through untouched. */
    OPENAI,
    /** Anthropic Messages ({@code /messages}, {@code x-api-key}). */
    ANTHROPIC,
    /** Google Gemini ({@code models/NAME:generateContent}, {@code x-goog-api-key}). */
    GEMINI
  }

  /** How a provider with several keys picks one for each call. */
  public enum KeySelection {
    /** The key with the fewest calls in flight on this node. */
    LEAST_LOADED,
    /** Each key in turn. */
    ROUND_ROBIN
  }

  public ProviderConfig {
    keys = List.copyOf(keys);
    headers = Map.copyOf(headers);
  }

  static ProviderConfig from(String name, ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("type", "base_url", "api_key_env", "api_key_file", "api_keys", "key_selection", "headers",
      "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms", "total_timeout_ms", "max_connections",
      "max_response_bytes", "auto_cache_control", "auto_cache_min_tokens"));
    String baseUrl = r.requiredString("base_url");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException(r.key("base_url") + ": must start with http:// or https://");
    }
    String keyEnv = r.string("api_key_env", null);
    String keyFile = r.string("api_key_file", null);
    List<ApiKeyConfig> keys = new ArrayList<>();
    if (r.has("api_keys")) {
      if (keyEnv != null || keyFile != null) {
        throw new ConfigException(r.key("api_keys") + ": use either api_keys or api_key_env/api_key_file, not both");
      }
      r.sections("api_keys").forEach((label, section) -> keys.add(ApiKeyConfig.from(label, section, env)));
    } else if (keyEnv != null || keyFile != null) {
      keys.add(ApiKeyConfig.single(r, keyEnv, keyFile, env));
    }
    Type type;
    try {
      type = Type.valueOf(r.string("type", "openai").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.key("type") + ": must be openai, anthropic or gemini");
    }
    KeySelection selection;
    String selectionName = r.string("key_selection", "least_loaded");
    try {
      selection = KeySelection.valueOf(selectionName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.key("key_selection") + ": must be least_loaded or round_robin");
    }
    long connect = r.longValue("connect_timeout_ms", 5_000, 1, 600_000);
    long firstByte = r.longValue("first_byte_timeout_ms", 120_000, 1, 3_600_000);
    long idle = r.longValue("idle_timeout_ms", 60_000, 1, 3_600_000);
    long total = r.longValue("total_timeout_ms", 900_000, 1, 86_400_000);
    boolean autoCache = r.bool("auto_cache_control", false);
    if (autoCache && type != Type.ANTHROPIC) {
      throw new ConfigException(r.key("auto_cache_control") + ": only providers of type anthropic take cache_control");
    }
    return new ProviderConfig(name, type, stripSlash(baseUrl), keys, selection, r.stringMap("headers"), connect,
      firstByte, idle, total, r.intValue("max_connections", 256, 1, 100_000),
      r.longValue("max_response_bytes", 64L * 1024 * 1024, 1024, 1L << 34), autoCache,
      r.longValue("auto_cache_min_tokens", 1024, 1, 1_000_000));
  }

  /** True when the provider expects a key (it names where to find one) but none was found. */
  public boolean keyMissing() {
    return !keys.isEmpty() && keys.stream().allMatch(key -> key.secret().isEmpty());
  }

  /** Where an operator should put the key, for error messages. */
  public String keySource() {
    return keys.size() == 1 ? keys.get(0).source() : "the keys under providers." + name + ".api_keys";
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "ProviderConfig[" + name + ", " + baseUrl + "]";
  }
}
