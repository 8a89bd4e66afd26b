package io.switchboard.provider;

import org.slf4j.Logger;

import java.util.Set;
import java.util.TreeSet;

/**
 * What one request's translation left out because the other dialect has no equivalent, by feature name (never
 * content), logged once at debug.
 */
public final class DroppedFeatures {

  private final Set<String> names = new TreeSet<>();

  public void add(String feature) {
    names.add(feature);
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** One debug line naming what was dropped, if anything was. */
  public void log(Logger log, String provider, String where) {
    if (!names.isEmpty() && log.isDebugEnabled()) {
      log.debug("{} {}: dropped what it has no equivalent for: {}", provider, where, names);
    }
  }
}
