package io.switchboard.execute;

import io.switchboard.classify.TokenCounter;
import io.switchboard.config.ProviderConfig;
import io.switchboard.cost.Usage;
import io.switchboard.openai.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * Relays an upstream OpenAI SSE stream to the client event by event (a provider of another dialect has its events
 * translated into OpenAI chunks first, see {@link ProviderDialect#stream}). The upstream is paused whenever the
 * client's write queue is full, so at most one network chunk plus the write queue is held. Usage is read
 * on the way; the usage chunk the gateway asked for on the client's behalf is stripped. The terminal
 * {@code [DONE]} is held back: the caller writes it (with the cost comment) only if the answer is complete.
 * <p>
 * Nothing is written before the first event that carries part of the answer (the role chunk and comments are
 * held until then), so a stream that fails before it can still be retried or failed over unseen by the client.
 */
public final class StreamRelay implements SseListener {

  /** How the upstream stream ended. */
  public enum End {
    /** {@code data: [DONE]} arrived. */
    DONE,
    /** EOF after a chunk with a finish_reason, but no {@code [DONE]}: complete, just impolite. */
    FINISHED,
    /** Cut, stalled, malformed or an in-band error: the answer is incomplete. */
    CUT,
    /** The client went away; the upstream request was reset. */
    CLIENT_GONE
  }

  /**
   * @param usage what the provider reported, or null
   * @param countedCompletionTokens the gateway's own count of the streamed output (for estimates)
   * @param error why the stream was cut, for {@link End#CUT}
   * @param bytesSent whether anything reached the client: if not, a cut stream can still be failed over
   */
  public record Result(End end, Usage usage, long countedCompletionTokens, ApiError error, boolean bytesSent,
                       long firstByteNanos, long endNanos) {
  }

  /**
   * Rewrites the stream for a client of another dialect: each sound chunk's JSON (the usage chunk too) goes in, the
   * events to send instead come out (empty for none). Comments and pings of the upstream are then not relayed.
   */
  public interface Transform {
    Buffer chunk(Buffer data);
  }

  private static final Buffer NOTHING = Buffer.buffer();

  /** Streamed text is counted in slices of this size, so what is held for counting stays small. */
  static final int COUNT_EVERY_CHARS = 16 * 1024;
  /** Most held back before the answer starts; a stream of role chunks and comments this long commits anyway. */
  static final int MAX_HELD_BYTES = 64 * 1024;

  private final UpstreamCall call;
  private final HttpClientResponse upstream;
  private final HttpServerResponse downstream;
  private final ProviderConfig provider;
  private final boolean clientWantsUsage;
  private final Promise<Result> done = Promise.promise();
  private final SseFramer framer;
  private final SseListener translator;
  private final StringBuilder text = new StringBuilder();
  private long countedTokens;
  private Usage usage;
  private boolean sawDone;
  private boolean sawFinish;
  private boolean bytesSent;
  private long firstByteNanos;
  private Buffer batch;
  private boolean batchOwned;
  private Buffer held;
  private boolean committed;
  private final IdleWatch idle;
  private Consumer<Buffer> chunkObserver;
  private Transform transform;
  private Buffer tail;

  public StreamRelay(Vertx vertx, UpstreamCall call, HttpClientResponse upstream, HttpServerResponse downstream,
                     boolean clientWantsUsage) {
    this.call = call;
    this.provider = call.provider();
    this.idle = new IdleWatch(vertx, provider.idleTimeoutMillis(), this::onIdle);
    this.upstream = upstream;
    this.downstream = downstream;
    this.clientWantsUsage = clientWantsUsage;
    // a provider of another dialect has its events translated into OpenAI chunks before the relay sees them
    this.translator = call.dialect().stream(this);
    if (call.dialect().sameDialect()) {
      // the client gets the upstream's own events (passed on); the chunks read from them only inform the relay
      this.transform = data -> NOTHING;
    }
    this.framer = new SseFramer(translator, provider.maxResponseBytes());
  }

  /**
   * Also hands the JSON of every chunk that arrives whole and sound (the usage chunk too, before it may be
   * stripped) to {@code observer}, on the relay's event loop; the buffer is only valid during the call.
   */
  public StreamRelay observeChunks(Consumer<Buffer> observer) {
    this.chunkObserver = observer;
    return this;
  }

  /** Sends what {@code transform} makes of each chunk instead of the upstream's events; set before {@link #run()}. */
  public StreamRelay transform(Transform transform) {
    this.transform = transform;
    return this;
  }

  /** Relays until the stream ends; the owner of the client connection reports its loss with {@link #clientGone()}. */
  public Future<Result> run() {
    upstream.exceptionHandler(this::onUpstreamFailure);
    upstream.handler(this::onChunk);
    upstream.endHandler(v -> onUpstreamEnd());
    idle.start();
    upstream.resume();
    return done.future();
  }

  private void onChunk(Buffer chunk) {
    if (done.future().isComplete()) {
      return;
    }
    idle.touch();
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
    try {
      framer.feed(chunk);
    } catch (SseFramer.EventTooLargeException e) {
      cut(UpstreamFailures.invalidResponse(provider, "a stream event exceeds max_response_bytes"));
      return;
    }
    flush();
  }

  @Override
  public void onEvent(Buffer raw, Buffer data) {
    if (done.future().isComplete() || sawDone) {
      return;
    }
    if (data == null) {
      if (transform == null) {
        emit(raw);
      }
      return;
    }
    if (data.length() == 6 && data.toString().equals("[DONE]")) {
      sawDone = true;
      return;
    }
    ChunkScan scan = ChunkScan.of(data, text);
    if (!scan.wellFormed) {
      cut(UpstreamFailures.invalidResponse(provider, "a stream event is not valid JSON"));
      return;
    }
    if (scan.error) {
      cut(new ApiError(502, ApiError.API_ERROR, UpstreamFailures.ERROR, null,
        "The provider '" + provider.name() + "' reported an error in the middle of the stream", 0));
      return;
    }
    if (chunkObserver != null) {
      chunkObserver.accept(data);
    }
    sawFinish |= scan.finished;
    if (scan.substance) {
      commit();
    }
    if (text.length() > COUNT_EVERY_CHARS) {
      countedTokens += TokenCounter.count(text);
      text.setLength(0);
    }
    if (scan.usage) {
      JsonObject chunk = new JsonObject(data);
      Usage reported = Usage.fromOpenAi(chunk.getJsonObject("usage"));
      if (reported != null) {
        usage = reported;
        if (!clientWantsUsage && transform == null) {
          JsonArray choices = chunk.getJsonArray("choices");
          if (choices != null && !choices.isEmpty()) {
            chunk.remove("usage");
            emit(Buffer.buffer("data: ").appendBuffer(chunk.toBuffer()).appendString("\n\n"));
          }
          return;
        }
      }
    }
    emit(transform == null ? raw : transform.chunk(data));
  }

  /**
   * A same-dialect stream's own bytes. Those after the end of the answer (the closing event) are kept for
   * {@link #tail()}, so the caller can write its cost comment before them.
   */
  @Override
  public void passOn(Buffer raw) {
    if (done.future().isComplete()) {
      return;
    }
    if (sawDone) {
      // an upstream that keeps talking after its end is not believed past the held-back limit
      if (tail == null) {
        tail = raw.copy();
      } else if (tail.length() < MAX_HELD_BYTES) {
        tail.appendBuffer(raw);
      }
    } else {
      emit(raw);
    }
  }

  /** What a same-dialect stream sent after the end of its answer (see {@link #passOn}); empty when nothing. */
  public Buffer tail() {
    return tail == null ? Buffer.buffer() : tail;
  }

  /** Queues an event for the client; the events of one upstream read go out in one write. */
  private void emit(Buffer event) {
    if (event.length() == 0) {
      return;
    }
    if (!committed) {
      held = held == null ? Buffer.buffer(256).appendBuffer(event) : held.appendBuffer(event);
      if (held.length() > MAX_HELD_BYTES) {
        commit();
      }
      return;
    }
    if (batch == null) {
      batch = event;
    } else {
      if (!batchOwned) {
        batch = Buffer.buffer(batch.length() + event.length() + 256).appendBuffer(batch);
        batchOwned = true;
      }
      batch.appendBuffer(event);
    }
  }

  /** The answer has started: from now on everything goes to the client, and a failure is the client's to see. */
  private void commit() {
    if (!committed) {
      committed = true;
      if (held != null) {
        Buffer out = held;
        held = null;
        emit(out);
      }
    }
  }

  private void flush() {
    if (batch != null) {
      Buffer out = batch;
      batch = null;
      batchOwned = false;
      write(out);
    }
  }

  private void write(Buffer buffer) {
    bytesSent = true;
    downstream.write(buffer);
    if (downstream.writeQueueFull()) {
      idle.pause();
      upstream.pause();
      downstream.drainHandler(v -> {
        idle.resume();
        upstream.resume();
      });
    }
  }

  private void onUpstreamEnd() {
    if (done.future().isComplete()) {
      return;
    }
    framer.end();
    if (translator != this) {
      translator.onEnd();
    }
    flush();
    if (done.future().isComplete()) {
      return;
    }
    if (sawDone || sawFinish) {
      commit();
      flush();
      finish(sawDone ? End.DONE : End.FINISHED, null);
    } else {
      finish(End.CUT, new ApiError(502, ApiError.API_ERROR, UpstreamFailures.STREAM_CUT, null,
        "The provider '" + provider.name() + "' ended the stream before the answer was complete", 0));
    }
  }

  // finish before resetting: the reset fails the upstream response, whose handler would report a cut instead
  private void cut(ApiError error) {
    if (!done.future().isComplete()) {
      flush();
      finish(End.CUT, error);
      upstream.request().reset();
    }
  }

  // after [DONE] the answer is whole: a provider that then keeps the response open only loses its connection
  private void onIdle() {
    if (sawDone && !done.future().isComplete()) {
      commit();
      flush();
      finish(End.DONE, null);
      upstream.request().reset();
    } else {
      cut(UpstreamFailures.timeout(provider, UpstreamFailures.IDLE_TIMEOUT));
    }
  }

  /** The client went away: end the relay and abort the upstream call. */
  public void clientGone() {
    call.cancel();
    if (!done.future().isComplete()) {
      finish(End.CLIENT_GONE, null);
    }
  }

  private void onUpstreamFailure(Throwable failure) {
    if (call.cancelled()) {
      if (!done.future().isComplete()) {
        finish(End.CLIENT_GONE, null);
      }
    } else {
      cut(call.failure(failure, UpstreamFailures.IDLE_TIMEOUT));
    }
  }

  private void finish(End end, ApiError error) {
    idle.stop();
    long counted = usage == null ? countedTokens + TokenCounter.count(text) : countedTokens;
    done.tryComplete(new Result(end, usage, counted, error, bytesSent, firstByteNanos, System.nanoTime()));
  }
}
