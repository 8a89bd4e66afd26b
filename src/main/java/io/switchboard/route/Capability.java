package io.switchboard.route;

import io.switchboard.classify.Complexity;

/**
 * How well a model's quality for a task meets what the request's complexity needs: the capability factor of
 * scoring and the "capable" test of cascades.
 */
final class Capability {

  /** Points of quality below the need at which a model's capability reaches 0. */
  static final int SHORTFALL_TO_ZERO = 30;

  private Capability() {
  }

  /** The quality (0-100) a model needs for work of this complexity. */
  static int need(Complexity complexity) {
    return switch (complexity) {
      case SIMPLE -> 50;
      case MEDIUM -> 65;
      case COMPLEX -> 80;
      case CRITICAL -> 90;
    };
  }

  /** 1 at or above the need, falling linearly to 0 at {@link #SHORTFALL_TO_ZERO} points below it. */
  static double fit(int quality, Complexity complexity) {
    int shortfall = need(complexity) - quality;
    return shortfall <= 0 ? 1.0 : Math.max(0.0, 1.0 - (double) shortfall / SHORTFALL_TO_ZERO);
  }
}
