package io.switchboard.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Column values as the ledger hands them out: whole numbers as Long, other numbers as Double, text as String. */
final class Values {

  private Values() {
  }

  static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      return big.longValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().scale() <= 0 ? (Object) decimal.longValue() : (Object) decimal.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    return value;
  }
}
