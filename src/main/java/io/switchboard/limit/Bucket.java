package io.switchboard.limit;

/**
 * One scope's allowance of one dimension: holds up to a minute's worth and refills at {@code perMinute / 60 000}
 * per millisecond. The level is counted in parts, 60 000 to a unit, so that refill stays an exact integer
 * ({@code perMinute} parts per millisecond) and no rounding drifts. The level goes below zero after an oversize
 * call or an under-estimate: that debt is paid off by refill before anything fits again. Not thread-safe: its
 * scope guards it.
 */
final class Bucket {

  static final long PARTS_PER_UNIT = 60_000;
  /** No call moves more units than this at once; keeps the sums here far from overflow. */
  private static final long MAX_UNITS = Limits.MAX_PER_MINUTE;
  private static final long FLOOR = Long.MIN_VALUE / 4;

  private long perMinute;
  private long capacity;
  private long level;

  Bucket(long perMinute) {
    this.perMinute = perMinute;
    this.capacity = perMinute * PARTS_PER_UNIT;
    this.level = capacity;
  }

  /** A config reload changed the limit: refill at the new rate and hold no more than the new capacity. */
  void resize(long perMinute) {
    this.perMinute = perMinute;
    this.capacity = perMinute * PARTS_PER_UNIT;
    this.level = Math.min(level, capacity);
  }

  void refill(long millis) {
    long deficit = capacity - level;
    if (deficit > 0) {
      level = millis >= ceilDiv(deficit, perMinute) ? capacity : level + millis * perMinute;
    }
  }

  /** Milliseconds until {@code units} fit, 0 when they fit now. More than the capacity fits once the bucket is full. */
  long waitMillis(long units) {
    long missing = Math.min(parts(units), capacity) - level;
    return missing <= 0 ? 0 : ceilDiv(missing, perMinute);
  }

  void take(long units) {
    level = Math.max(level - parts(units), FLOOR);
  }

  void giveBack(long units) {
    level = Math.min(level + parts(units), capacity);
  }

  /** Whole units available now; negative while in debt. */
  long available() {
    return Math.floorDiv(level, PARTS_PER_UNIT);
  }

  private static long parts(long units) {
    return Math.min(units, MAX_UNITS) * PARTS_PER_UNIT;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
