package io.switchboard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows printed under a header with every column as wide as its widest cell, two spaces apart. Columns whose cells
 * are all numbers (money, percentages and counts included) are aligned right so that their digits line up.
 */
final class Table {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(cell -> cell == null ? "-" : cell.toString()).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int columns = header.size();
    int[] widths = new int[columns];
    boolean[] right = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      widths[c] = header.get(c).length();
      boolean numbers = true;
      boolean someNumber = false;
      for (List<String> row : rows) {
        String cell = row.get(c);
        widths[c] = Math.max(widths[c], cell.length());
        numbers &= cell.equals("-") || numeric(cell);
        someNumber |= numeric(cell);
      }
      right[c] = numbers && someNumber;
    }
    line(out, header, widths, right);
    for (List<String> row : rows) {
      line(out, row, widths, right);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(c == 0 ? "" : "  ").append(right[c] ? pad + cell : cell + (c == cells.size() - 1 ? "" : pad));
    }
    out.println(line.toString().stripTrailing());
  }

  /** A count, an amount of dollars, a percentage or a duration. */
  static boolean numeric(String cell) {
    return cell.matches("-?\\$?-?[0-9][0-9,]*(\\.[0-9]+)?( ?%| ms)?");
  }
}
