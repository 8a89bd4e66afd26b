package io.switchboard.execute;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * What the relay needs from one streamed OpenAI chunk, read in a single pass over its bytes instead of a full
 * parse: whether it is structurally sound JSON, an in-band error, carries usage or a finish reason, and the
 * text of its {@code content} and {@code arguments} strings (for counting tokens when usage never comes).
 */
final class ChunkScan {

  private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINISH_REASON = "finish_reason".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT = "content".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ARGUMENTS = "arguments".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOOL_CALLS = "tool_calls".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REASONING = "reasoning".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REASONING_CONTENT = "reasoning_content".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REFUSAL = "refusal".getBytes(StandardCharsets.US_ASCII);

  boolean wellFormed;
  boolean error;
  boolean usage;
  boolean finished;
  /** Part of the answer itself (text, a tool call, reasoning, a refusal, the finish), not just the role. */
  boolean substance;

  /** Scans {@code data}, appending the text of content and arguments strings to {@code text}. */
  static ChunkScan of(Buffer data, StringBuilder text) {
    ChunkScan scan = new ChunkScan();
    int n = data.length();
    int depth = 0;
    int i = skipSpace(data, 0);
    if (i >= n || data.getByte(i) != '{') {
      return scan;
    }
    while (i < n) {
      byte b = data.getByte(i);
      if (b == '"') {
        int end = stringEnd(data, i);
        if (end < 0) {
          return scan;
        }
        int after = skipSpace(data, end + 1);
        if (after < n && data.getByte(after) == ':') {
          int value = skipSpace(data, after + 1);
          scan.key(data, i + 1, end, value, depth, text);
          i = value;
          continue;
        }
        i = end + 1;
        continue;
      }
      if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth < 0) {
          return scan;
        }
        if (depth == 0) {
          scan.wellFormed = skipSpace(data, i + 1) == n;
          return scan;
        }
      }
      i++;
    }
    return scan;
  }

  private void key(Buffer data, int start, int end, int value, int depth, StringBuilder text) {
    boolean nonNull = value < data.length() && data.getByte(value) != 'n';
    if (depth == 1 && is(data, start, end, ERROR) && nonNull) {
      error = true;
    } else if (is(data, start, end, USAGE)) {
      usage |= nonNull && data.getByte(value) == '{';
    } else if (is(data, start, end, FINISH_REASON)) {
      finished |= nonNull;
      substance |= nonNull;
    } else if ((is(data, start, end, CONTENT) || is(data, start, end, ARGUMENTS))
      && value < data.length() && data.getByte(value) == '"') {
      int close = stringEnd(data, value);
      if (close > value + 1) {
        substance = true;
        appendString(data, value, close, text);
      }
    } else if (nonNull && (is(data, start, end, TOOL_CALLS) || is(data, start, end, REASONING_CONTENT)
      || is(data, start, end, REASONING) || is(data, start, end, REFUSAL))) {
      substance = true;
    }
  }

  private static void appendString(Buffer data, int open, int close, StringBuilder text) {
    for (int k = open + 1; k < close; k++) {
      if (data.getByte(k) == '\\') {
        text.append((String) Json.decodeValue(data.getBuffer(open, close + 1)));
        return;
      }
    }
    text.append(data.getString(open + 1, close, "UTF-8"));
  }

  /** Index of the quote closing the string that opens at {@code open}; -1 if it never closes. */
  private static int stringEnd(Buffer data, int open) {
    for (int k = open + 1; k < data.length(); k++) {
      byte c = data.getByte(k);
      if (c == '\\') {
        k++;
      } else if (c == '"') {
        return k;
      }
    }
    return -1;
  }

  private static boolean is(Buffer data, int start, int end, byte[] name) {
    if (end - start != name.length) {
      return false;
    }
    for (int k = 0; k < name.length; k++) {
      if (data.getByte(start + k) != name[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpace(Buffer data, int from) {
    int k = from;
    while (k < data.length()) {
      byte c = data.getByte(k);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        break;
      }
      k++;
    }
    return k;
  }
}
