package io.switchboard.execute;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a server-sent-events byte stream into events. Each event is handed over with its raw bytes (a slice,
 * no copy, when it lies in one network chunk) so it can be relayed exactly as the upstream wrote it, plus the
 * payload of its {@code data:} lines. LF and CRLF line endings are both understood.
 */
final class SseFramer {

  /** One event grew past the limit. */
  static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(long limit) {
      super("upstream SSE event larger than " + limit + " bytes", null, false, false);
    }
  }

  private static final Buffer EVENT_END = Buffer.buffer("\n\n");
  private static final Buffer LINE_END = Buffer.buffer("\n");

  private final SseListener listener;
  private final long maxEventBytes;
  private Buffer pending;
  private int pendingScanned;
  private int[] dataLines = new int[4];
  private int dataLineCount;
  private boolean eventHasLines;

  SseFramer(SseListener listener, long maxEventBytes) {
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
  }

  void feed(Buffer chunk) {
    Buffer buf;
    int from;
    if (pending == null) {
      buf = chunk;
      from = 0;
    } else {
      buf = pending.appendBuffer(chunk);
      from = pendingScanned;
    }
    int length = buf.length();
    int eventStart = 0;
    int lineStart = from;
    for (int i = from; i < length; i++) {
      if (buf.getByte(i) != '\n') {
        continue;
      }
      int lineEnd = i > lineStart && buf.getByte(i - 1) == '\r' ? i - 1 : i;
      if (lineEnd == lineStart) {
        if (i + 1 - eventStart > maxEventBytes) {
          throw new EventTooLargeException(maxEventBytes);
        }
        if (eventHasLines) {
          emit(buf.slice(eventStart, i + 1));
        }
        eventStart = i + 1;
      } else {
        line(buf, eventStart, lineStart, lineEnd);
      }
      lineStart = i + 1;
    }
    if (eventStart < length) {
      if (length - eventStart > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      pending = buf.getBuffer(eventStart, length);
      pendingScanned = lineStart - eventStart;
    } else {
      pending = null;
    }
  }

  /** The stream ended: an event still open (no blank line after it) is delivered as if terminated. */
  void end() {
    if (pending == null) {
      return;
    }
    Buffer buf = pending;
    pending = null;
    int lineEnd = buf.length();
    if (lineEnd > pendingScanned && buf.getByte(lineEnd - 1) == '\r') {
      lineEnd--;
    }
    if (lineEnd > pendingScanned) {
      line(buf, 0, pendingScanned, lineEnd);
    }
    if (eventHasLines) {
      boolean lineEnded = buf.getByte(buf.length() - 1) == '\n';
      emit(buf.copy().appendBuffer(lineEnded ? LINE_END : EVENT_END));
    }
  }

  private void line(Buffer buf, int eventStart, int start, int end) {
    eventHasLines = true;
    if (end - start >= 5 && buf.getByte(start) == 'd' && buf.getByte(start + 1) == 'a' && buf.getByte(start + 2) == 't'
      && buf.getByte(start + 3) == 'a' && buf.getByte(start + 4) == ':') {
      int dataStart = start + 5;
      if (dataStart < end && buf.getByte(dataStart) == ' ') {
        dataStart++;
      }
      if (dataLineCount * 2 + 2 > dataLines.length) {
        dataLines = java.util.Arrays.copyOf(dataLines, dataLines.length * 2);
      }
      dataLines[dataLineCount * 2] = dataStart - eventStart;
      dataLines[dataLineCount * 2 + 1] = end - eventStart;
      dataLineCount++;
    }
  }

  private void emit(Buffer raw) {
    Buffer data = null;
    if (dataLineCount == 1) {
      data = raw.slice(dataLines[0], dataLines[1]);
    } else if (dataLineCount > 1) {
      data = Buffer.buffer();
      for (int k = 0; k < dataLineCount; k++) {
        if (k > 0) {
          data.appendByte((byte) '\n');
        }
        data.appendBuffer(raw, dataLines[k * 2], dataLines[k * 2 + 1] - dataLines[k * 2]);
      }
    }
    dataLineCount = 0;
    eventHasLines = false;
    listener.onEvent(raw, data);
  }
}
