package io.switchboard.report;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * RFC 4180 CSV: a header row, then one row per record, CRLF line ends; a field holding a comma, a double quote,
 * CR or LF is quoted, with its quotes doubled. Null is an empty field.
 */
final class Csv {

  private Csv() {
  }

  static Buffer write(List<String> columns, List<JsonObject> rows) {
    StringBuilder out = new StringBuilder();
    line(out, columns.stream().map(c -> (Object) c).toList());
    for (JsonObject row : rows) {
      line(out, columns.stream().map(row::getValue).toList());
    }
    return Buffer.buffer(out.toString());
  }

  private static void line(StringBuilder out, List<Object> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(values.get(i)));
    }
    out.append("\r\n");
  }

  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
      || text.indexOf('\n') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
