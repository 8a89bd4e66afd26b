package io.switchboard.execute;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SseFramerTest {

  private static final long LIMIT = 1 << 20;

  /** What the listener saw: each event's raw bytes (copied at delivery) and its data, or null. */
  private record Event(byte[] raw, String data) {
    String rawText() {
      return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Event e && Arrays.equals(raw, e.raw) && Objects.equals(data, e.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
      return "Event[raw=" + rawText().replace("\r", "\\r").replace("\n", "\\n") + ", data=" + data + "]";
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final SseFramer framer = new SseFramer(this::collect, LIMIT);

  private void collect(Buffer raw, Buffer data) {
    events.add(new Event(raw.getBytes(), data == null ? null : data.toString(StandardCharsets.UTF_8)));
  }

  private static List<Event> frame(long limit, byte[]... chunks) {
    List<Event> seen = new ArrayList<>();
    SseFramer f = new SseFramer((raw, data) -> seen.add(new Event(raw.getBytes(),
      data == null ? null : data.toString(StandardCharsets.UTF_8))), limit);
    for (byte[] chunk : chunks) {
      f.feed(Buffer.buffer(chunk));
    }
    f.end();
    return seen;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Event event(String raw, String data) {
    return new Event(bytes(raw), data);
  }

  /** A stream mixing everything the framer must understand, with a multi-byte character and CRLF. */
  private static final String MIXED = "data: {\"a\":1}\n\n"
    + ": keep-alive\n\n"
    + "event: message\nid: 7\ndata: first\ndata: second\n\n"
    + "data: caf\u00e9 \u20ac \uD83D\uDE00\r\n\r\n"
    + "retry: 100\n\n"
    + "data:nospace\n\n"
    + "data: [DONE]\n\n";

  private static final List<Event> MIXED_EVENTS = List.of(
    event("data: {\"a\":1}\n\n", "{\"a\":1}"),
    event(": keep-alive\n\n", null),
    event("event: message\nid: 7\ndata: first\ndata: second\n\n", "first\nsecond"),
    event("data: caf\u00e9 \u20ac \uD83D\uDE00\r\n\r\n", "caf\u00e9 \u20ac \uD83D\uDE00"),
    event("retry: 100\n\n", null),
    event("data:nospace\n\n", "nospace"),
    event("data: [DONE]\n\n", "[DONE]"));

  @Test
  void a_whole_stream_in_one_chunk_gives_each_event_with_its_raw_bytes_and_data() {
    assertThat(frame(LIMIT, bytes(MIXED))).containsExactlyElementsOf(MIXED_EVENTS);
  }

  @Test
  void splitting_the_stream_at_any_byte_boundary_gives_the_same_events() {
    byte[] all = bytes(MIXED);
    for (int cut = 1; cut < all.length; cut++) {
      List<Event> seen = frame(LIMIT, Arrays.copyOfRange(all, 0, cut), Arrays.copyOfRange(all, cut, all.length));
      assertThat(seen).as("split at byte %d", cut).containsExactlyElementsOf(MIXED_EVENTS);
    }
  }

  @Test
  void splitting_the_stream_at_every_byte_gives_the_same_events() {
    byte[] all = bytes(MIXED);
    byte[][] single = new byte[all.length][];
    for (int i = 0; i < all.length; i++) {
      single[i] = new byte[] {all[i]};
    }
    assertThat(frame(LIMIT, single)).containsExactlyElementsOf(MIXED_EVENTS);
  }

  @Test
  void splitting_the_stream_at_any_two_byte_boundaries_gives_the_same_events() {
    byte[] all = bytes(MIXED);
    for (int a = 1; a < all.length; a++) {
      for (int b = a + 1; b < all.length; b++) {
        List<Event> seen = frame(LIMIT, Arrays.copyOfRange(all, 0, a), Arrays.copyOfRange(all, a, b),
          Arrays.copyOfRange(all, b, all.length));
        assertThat(seen).as("split at bytes %d and %d", a, b).containsExactlyElementsOf(MIXED_EVENTS);
      }
    }
  }

  @Test
  void crlf_line_endings_delimit_lines_and_events() {
    framer.feed(Buffer.buffer("data: one\r\n\r\nid: 2\r\ndata: two\r\ndata: lines\r\n\r\n: note\r\n\r\n"));

    assertThat(events).containsExactly(
      event("data: one\r\n\r\n", "one"),
      event("id: 2\r\ndata: two\r\ndata: lines\r\n\r\n", "two\nlines"),
      event(": note\r\n\r\n", null));
  }

  @Test
  void a_crlf_split_between_cr_and_lf_is_still_one_line_end() {
    framer.feed(Buffer.buffer("data: one\r"));
    framer.feed(Buffer.buffer("\n\r"));
    framer.feed(Buffer.buffer("\ndata: two\r\n\r"));
    assertThat(events).containsExactly(event("data: one\r\n\r\n", "one"));

    framer.feed(Buffer.buffer("\n"));
    assertThat(events).containsExactly(event("data: one\r\n\r\n", "one"), event("data: two\r\n\r\n", "two"));
  }

  @Test
  void multi_line_data_is_joined_with_newlines_and_only_one_leading_space_is_dropped() {
    framer.feed(Buffer.buffer("data: {\"a\":\ndata:  1}\ndata:\n\n"));

    assertThat(events).containsExactly(event("data: {\"a\":\ndata:  1}\ndata:\n\n", "{\"a\":\n 1}\n"));
  }

  @Test
  void comment_only_events_are_passed_on_with_null_data() {
    framer.feed(Buffer.buffer(": ping\n\n:\n\n: one\n: two\n\n"));

    assertThat(events)
      .containsExactly(event(": ping\n\n", null), event(":\n\n", null), event(": one\n: two\n\n", null));
  }

  @Test
  void blank_lines_between_events_make_no_events() {
    framer.feed(Buffer.buffer("\n\ndata: a\n\n\n\n\r\n"));
    framer.end();

    assertThat(events).containsExactly(event("data: a\n\n", "a"));
  }

  @Test
  void an_event_still_open_at_the_end_of_the_stream_is_delivered_by_end() {
    framer.feed(Buffer.buffer("data: whole\n\ndata: la"));
    framer.feed(Buffer.buffer("st"));
    assertThat(events).containsExactly(event("data: whole\n\n", "whole"));

    framer.end();
    assertThat(events).containsExactly(event("data: whole\n\n", "whole"), event("data: last\n\n", "last"));
  }

  @Test
  void an_open_crlf_event_at_the_end_of_the_stream_has_its_data_without_the_cr() {
    framer.feed(Buffer.buffer("data: a\r\ndata: b\r"));
    framer.end();

    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).isEqualTo("a\nb");
    assertThat(events.get(0).rawText()).startsWith("data: a\r\ndata: b\r").endsWith("\n\n");
  }

  @Test
  void an_event_ended_by_a_single_newline_at_the_end_of_the_stream_gets_exactly_one_blank_line() {
    framer.feed(Buffer.buffer("data: last\n"));
    framer.end();

    // the raw bytes are relayed as they are: one terminating blank line, not two
    assertThat(events).containsExactly(event("data: last\n\n", "last"));
  }

  @Test
  void end_without_an_open_event_delivers_nothing() {
    framer.feed(Buffer.buffer("data: a\n\n"));
    framer.end();
    framer.end();

    assertThat(events).containsExactly(event("data: a\n\n", "a"));
  }

  @Test
  void an_open_event_bigger_than_the_limit_throws() {
    SseFramer small = new SseFramer(this::collect, 64);
    small.feed(Buffer.buffer("data: " + "x".repeat(40)));

    assertThatThrownBy(() -> small.feed(Buffer.buffer("x".repeat(40))))
      .isInstanceOf(SseFramer.EventTooLargeException.class)
      .hasMessageContaining("64");
    assertThat(events).isEmpty();
  }

  @Test
  void a_complete_event_bigger_than_the_limit_throws_even_when_it_arrives_in_one_chunk() {
    SseFramer small = new SseFramer(this::collect, 64);

    assertThatThrownBy(() -> small.feed(Buffer.buffer("data: " + "x".repeat(200) + "\n\n")))
      .isInstanceOf(SseFramer.EventTooLargeException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void events_within_the_limit_pass_however_they_are_split() {
    String one = "data: " + "y".repeat(50) + "\n\n";
    List<Event> expected = List.of(event(one, "y".repeat(50)), event(one, "y".repeat(50)));
    byte[] all = bytes(one + one);
    for (int cut = 1; cut < all.length; cut++) {
      assertThat(frame(64, Arrays.copyOfRange(all, 0, cut), Arrays.copyOfRange(all, cut, all.length)))
        .as("split at byte %d", cut).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void the_raw_bytes_of_all_events_are_exactly_the_input_bytes() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      text.append(i % 3 == 0 ? "data: {\"i\":" + i + ",\"t\":\"\u00e9\u20ac\uD83D\uDE00\"}\r\n\r\n"
        : i % 3 == 1 ? ": c" + i + "\n\n" : "id: " + i + "\ndata: a\ndata: b\n\n");
    }
    byte[] all = bytes(text.toString());
    Random random = new Random(42);
    List<byte[]> chunks = new ArrayList<>();
    for (int at = 0; at < all.length; ) {
      int size = Math.min(all.length - at, 1 + random.nextInt(97));
      chunks.add(Arrays.copyOfRange(all, at, at + size));
      at += size;
    }

    List<Event> seen = frame(LIMIT, chunks.toArray(new byte[0][]));

    assertThat(seen).hasSize(300);
    Buffer joined = Buffer.buffer();
    seen.forEach(e -> joined.appendBytes(e.raw()));
    assertThat(joined.getBytes()).isEqualTo(all);
  }

  @Test
  void raw_buffers_handed_out_stay_intact_after_more_input() {
    List<Buffer> raws = new ArrayList<>();
    SseFramer kept = new SseFramer((raw, data) -> raws.add(raw), LIMIT);
    kept.feed(Buffer.buffer("data: a"));
    kept.feed(Buffer.buffer("aa\n\ndata: b"));
    kept.feed(Buffer.buffer("bb\n\ndata: ccc\n\n"));
    kept.feed(Buffer.buffer("data: ddd\n\n"));

    assertThat(raws).extracting(Buffer::toString)
      .containsExactly("data: aaa\n\n", "data: bbb\n\n", "data: ccc\n\n", "data: ddd\n\n");
  }
}
