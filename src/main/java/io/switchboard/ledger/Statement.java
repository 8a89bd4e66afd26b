package io.switchboard.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One SQL statement and the parameter rows it runs with, in a {@link LedgerStore#batch}: a statement without
 * parameters has one empty row.
 */
public record Statement(String sql, List<List<Object>> rows) {

  public Statement {
    rows = List.copyOf(rows);
  }

  public static Statement of(String sql) {
    return new Statement(sql, List.of(List.of()));
  }

  public static Statement of(String sql, List<Object> params) {
    return new Statement(sql, List.of(unmodifiable(params)));
  }

  /** A parameter list that may hold nulls (List.of may not). */
  static List<Object> unmodifiable(List<Object> params) {
    return Collections.unmodifiableList(new ArrayList<>(params));
  }
}
