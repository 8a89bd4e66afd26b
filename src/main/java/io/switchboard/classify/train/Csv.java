package io.switchboard.classify.train;

import java.util.ArrayList;
import java.util.List;

/** The first column of an RFC 4180 CSV text (quoted fields may hold commas, newlines and doubled quotes). */
final class Csv {

  private Csv() {
  }

  /** First-column values of every row after the header. */
  static List<String> firstColumn(String text) {
    List<String> values = new ArrayList<>();
    int i = 0;
    boolean header = true;
    while (i < text.length()) {
      StringBuilder field = new StringBuilder();
      if (text.charAt(i) == '"') {
        i++;
        while (i < text.length()) {
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
      } else {
        while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n') {
          field.append(text.charAt(i++));
        }
      }
      // skip the other columns: they are unquoted True/False
      while (i < text.length() && text.charAt(i) != '\n') {
        i++;
      }
      i++;
      if (!header) {
        values.add(field.toString());
      }
      header = false;
    }
    return values;
  }
}
