package io.switchboard.cost;

import java.util.Locale;

/** How a request ended; the wire names are the bounded {@code status} label of the metrics. */
public enum Outcome {
  OK, CLIENT_ERROR, UPSTREAM_ERROR, TIMEOUT, STREAM_CUT, CLIENT_CLOSED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Outcome fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
