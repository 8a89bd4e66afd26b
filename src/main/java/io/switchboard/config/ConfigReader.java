package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, validating access to one section of the configuration. Every error names the full key path
 * (for example {@code models.gpt-4o-mini.context_window}) and the problem, and unknown keys are rejected
 * so a typo never silently falls back to a default.
 */
public final class ConfigReader {

  private final JsonObject json;
  private final String path;

  public ConfigReader(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  public String path() {
    return path;
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return json.getValue(name) != null;
  }

  /** Fails when the section holds a key outside {@code allowed}. */
  public ConfigReader allowOnly(Set<String> allowed) {
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        throw new ConfigException(key(name) + ": unknown key (expected one of " + String.join(", ", allowed) + ")");
      }
    }
    return this;
  }

  public String string(String name, String fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new ConfigException(key(name) + ": must be a string");
  }

  public String requiredString(String name) {
    String value = string(name, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(key(name) + ": is required");
    }
    return value;
  }

  public long longValue(String name, long fallback, long min, long max) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    long parsed;
    boolean whole = value instanceof Integer || value instanceof Long
      || value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
    if (whole) {
      parsed = ((Number) value).longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,18}")) {
      parsed = Long.parseLong(s);
    } else {
      throw new ConfigException(key(name) + ": must be a whole number, got '" + abbreviate(value) + "'");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key(name) + ": must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  public int intValue(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }

  public double doubleValue(String name, double fallback, double min, double max) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    double parsed;
    if (value instanceof Number n) {
      parsed = n.doubleValue();
    } else if (value instanceof String s) {
      try {
        parsed = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name) + ": must be a number, got '" + abbreviate(value) + "'");
      }
    } else {
      throw new ConfigException(key(name) + ": must be a number");
    }
    if (!(parsed >= min && parsed <= max)) {
      throw new ConfigException(key(name) + ": must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  public boolean bool(String name, boolean fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key(name) + ": must be true or false");
  }

  public ConfigReader section(String name) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(key(name) + ": must be a mapping");
    }
    return new ConfigReader((JsonObject) value, key(name));
  }

  /** The entries of a mapping section, in file order. */
  public Map<String, ConfigReader> sections(String name) {
    ConfigReader parent = section(name);
    Map<String, ConfigReader> result = new LinkedHashMap<>();
    for (String child : parent.json.fieldNames()) {
      result.put(child, parent.section(child));
    }
    return result;
  }

  public Map<String, String> stringMap(String name) {
    ConfigReader parent = section(name);
    Map<String, String> result = new LinkedHashMap<>();
    for (String child : parent.json.fieldNames()) {
      result.put(child, parent.requiredString(child));
    }
    return result;
  }

  public List<String> stringList(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key(name) + ": must be a list of strings");
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.isBlank()) {
        throw new ConfigException(key(name) + "[" + i + "]: must be a non-empty string");
      }
      result.add(s);
    }
    return List.copyOf(result);
  }

  /** A list of whole numbers, each within [min, max]; a single number is a list of one. */
  public List<Long> longList(String name, long min, long max) {
    Object value = json.getValue(name);
    JsonArray array = value instanceof JsonArray a ? a : new JsonArray().add(value);
    List<Long> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String index = Integer.toString(i);
      result.add(new ConfigReader(new JsonObject().put(index, array.getValue(i)), key(name)).longValue(index, 0, min, max));
    }
    return List.copyOf(result);
  }

  public Set<String> fieldNames() {
    return json.fieldNames();
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
