package io.switchboard.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One spelling for every JSON value that means the same: object keys sorted, null members dropped (OpenAI reads
 * them as absent), numbers in their shortest plain form ({@code 0}, {@code 0.0} and {@code 0e0} are all {@code 0}).
 * The output is only hashed, never parsed, so it needs to be unambiguous, not pretty.
 */
final class CanonicalJson {

  private CanonicalJson() {
  }

  static void write(Object value, StringBuilder out) {
    if (value instanceof JsonObject object) {
      writeObject(object.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(map, out);
    } else if (value instanceof JsonArray array) {
      writeArray(array.getList(), out);
    } else if (value instanceof List<?> list) {
      writeArray(list, out);
    } else if (value instanceof String text) {
      writeString(text, out);
    } else if (value instanceof Number number) {
      out.append(number(number));
    } else {
      out.append(value);
    }
  }

  private static void writeObject(Map<?, ?> map, StringBuilder out) {
    Map<String, Object> sorted = new TreeMap<>();
    map.forEach((key, member) -> {
      if (member != null) {
        sorted.put(String.valueOf(key), member);
      }
    });
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> member : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(member.getKey(), out);
      out.append(':');
      write(member.getValue(), out);
    }
    out.append('}');
  }

  private static void writeArray(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(list.get(i), out);
    }
    out.append(']');
  }

  private static void writeString(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  static String number(Number number) {
    BigDecimal decimal;
    if (number instanceof BigDecimal d) {
      decimal = d;
    } else if (number instanceof BigInteger i) {
      decimal = new BigDecimal(i);
    } else if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (!Double.isFinite(d)) {
        return number.toString();
      }
      decimal = new BigDecimal(number.toString());
    } else {
      decimal = BigDecimal.valueOf(number.longValue());
    }
    return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
  }
}
