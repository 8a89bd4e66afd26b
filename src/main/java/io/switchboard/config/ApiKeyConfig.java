package io.switchboard.config;

import io.switchboard.limit.Limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One API key of a provider, known by its label: logs, metrics and errors name the label, never the key.
 * The key itself comes from an environment variable ({@code env}) or a file ({@code file}).
 *
 * @param secret the resolved key; empty when the variable is unset or the file is empty
 */
public record ApiKeyConfig(String label, String env, String file, Optional<String> secret, Limits limits) {

  /** The label of the key given by a provider's {@code api_key_env} or {@code api_key_file}. */
  public static final String DEFAULT_LABEL = "default";

  static ApiKeyConfig from(String label, ConfigReader r, Map<String, String> env) {
    r.allowOnly(Set.of("env", "file", "requests_per_minute", "input_tokens_per_minute", "output_tokens_per_minute"));
    String keyEnv = r.string("env", null);
    String keyFile = r.string("file", null);
    if ((keyEnv == null) == (keyFile == null)) {
      throw new ConfigException(r.path() + ": set exactly one of env or file");
    }
    return new ApiKeyConfig(label, keyEnv, keyFile, resolve(r, "file", keyEnv, keyFile, env), LimitsReader.read(r));
  }

  static ApiKeyConfig single(ConfigReader r, String keyEnv, String keyFile, Map<String, String> env) {
    return new ApiKeyConfig(DEFAULT_LABEL, keyEnv, keyFile, resolve(r, "api_key_file", keyEnv, keyFile, env), Limits.NONE);
  }

  private static Optional<String> resolve(ConfigReader r, String fileKey, String keyEnv, String keyFile,
                                          Map<String, String> env) {
    if (keyFile != null) {
      try {
        return Optional.of(Files.readString(Path.of(keyFile)).strip()).filter(k -> !k.isEmpty());
      } catch (IOException e) {
        throw new ConfigException(r.key(fileKey) + ": cannot read " + keyFile);
      }
    }
    return Optional.ofNullable(env.get(keyEnv)).map(String::strip).filter(k -> !k.isEmpty());
  }

  /** Where an operator should put the key, for error messages. */
  public String source() {
    return file != null ? "the file " + file : "the environment variable " + env;
  }

  @Override
  public String toString() {
    return "ApiKeyConfig[" + label + "]";
  }
}
