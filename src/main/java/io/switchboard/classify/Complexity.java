package io.switchboard.classify;

import java.util.Locale;

/** How hard a request is, from a one-line answer to work where a mistake is expensive. */
public enum Complexity {
  SIMPLE, MEDIUM, COMPLEX, CRITICAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Complexity fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
