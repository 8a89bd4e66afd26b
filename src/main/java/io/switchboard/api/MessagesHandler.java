package io.switchboard.api;

import io.switchboard.analytics.GatewayMeters;
import io.switchboard.anthropic.AnthropicErrors;
import io.switchboard.anthropic.MessageResponse;
import io.switchboard.anthropic.MessagesRequest;
import io.switchboard.anthropic.PromptTokens;
import io.switchboard.anthropic.StreamTranslation;
import io.switchboard.auth.Caller;
import io.switchboard.cache.CachedAnswer;
import io.switchboard.cache.ResponseCaching;
import io.switchboard.config.GatewayConfig;
import io.switchboard.cost.Usage;
import io.switchboard.cost.UsageRecord;
import io.switchboard.execute.ChatService;
import io.switchboard.execute.Completion;
import io.switchboard.execute.Routed;
import io.switchboard.execute.StreamRelay;
import io.switchboard.execute.UpstreamCall;
import io.switchboard.openai.ApiError;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, the Anthropic Messages front door: the
 * request is translated into the internal OpenAI chat request ({@link MessagesRequest}) and served on the same path
 * as chat completions (cache, routing, budgets, retries and fallbacks, accounting), and the answer translated back:
 * a message as JSON, or Anthropic's event stream built chunk by chunk by the relay ({@link StreamTranslation}). The
 * {@code x-switchboard-*} headers are those of the chat endpoint; a stream's cost goes in an SSE comment just before
 * {@code message_stop}. A call that an Anthropic upstream serves takes the same-dialect path instead (the client's
 * own body goes upstream, see {@code AnthropicPassthroughDialect}): its answer is relayed as received, JSON bytes
 * or events, and nothing is translated back. Which path a call took is known only once failover picked its model:
 * {@link UpstreamCall#sameDialect()} for a stream, {@code Completion.sameDialect()} for a whole answer.
 */
final class MessagesHandler {

  private static final Logger LOG = LoggerFactory.getLogger(MessagesHandler.class);
  /** Ends a same-dialect stream whose upstream stopped after its last delta without one. */
  private static final Buffer MESSAGE_STOP =
    Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  private final GatewayConfig config;
  private final FrontDoorFlow flow;

  MessagesHandler(GatewayConfig config, ChatService service, GatewayMeters meters, AccessLog accessLog,
                  ResponseCaching caching) {
    this.config = config;
    this.flow = new FrontDoorFlow(service, meters, accessLog, caching);
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    MessagesRequest translated = MessagesRequest.parse(Bodies.of(ctx), ctx.request().headers());
    if (!translated.dropped().isEmpty() && LOG.isDebugEnabled()) {
      LOG.debug("request {}: left out of the OpenAI chat form: {}", RequestIds.of(ctx), translated.droppedSummary());
    }
    ChatRequest request = translated.chat();
    flow.serve(ctx, Caller.of(ctx).tenant(), request, request.stream(), start, new Door(ctx, translated));
  }

  /** {@code count_tokens}: the prompt tokens of the translated request, counted here; nothing is routed or called. */
  void countTokens(RoutingContext ctx) {
    MessagesRequest translated = MessagesRequest.parseCount(Bodies.of(ctx), ctx.request().headers());
    String model = translated.chat().model();
    if (!known(model)) {
      throw new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model",
        "Unknown model '" + model.replaceAll("\\p{Cntrl}", "?") + "': not a model, alias or policy of this gateway", 0)
        .exception();
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("input_tokens", PromptTokens.of(translated.chat())).toBuffer());
  }

  private boolean known(String model) {
    return model.equals("auto") || config.models().containsKey(model) || config.aliases().containsKey(model)
      || config.routing().policies().containsKey(model);
  }

  /** The Anthropic dialect: messages and their events, translated back, or as an Anthropic upstream sent them. */
  private static final class Door implements FrontDoor {

    private final RoutingContext ctx;
    private final MessagesRequest translated;

    Door(RoutingContext ctx, MessagesRequest translated) {
      this.ctx = ctx;
      this.translated = translated;
    }

    @Override
    public Future<Buffer> replayed(CachedAnswer answer, UsageRecord record, boolean stream) {
      JsonObject message = MessageResponse.of(answer.completion().toJsonObject(), answer.usage(),
        translated.stopSequences());
      return Future.succeededFuture(stream ? StreamTranslation.replay(message, SwitchboardHeaders.costComment(record))
        : message.toBuffer());
    }

    @Override
    public Future<Buffer> answered(ChatService.ChatResult result) {
      Completion completion = result.completion();
      return Future.succeededFuture(completion.sameDialect() ? completion.body()
        : MessageResponse.of(completion.json(), completion.usage(), translated.stopSequences()).toBuffer());
    }

    @Override
    public StreamTry streamTry(Routed servedBy, UpstreamCall call) {
      // each try gets its own translation: a failed one sent nothing, so the next starts the message afresh
      StreamTranslation translation = call.sameDialect() ? null : new StreamTranslation(translated.stopSequences(),
        servedBy.classification().features().promptTokens(), "msg_" + RequestIds.decision(ctx).replace("req_", ""));
      return new Try(ctx, translation);
    }
  }

  /**
   * One try of an Anthropic stream.
   *
   * @param translation what builds the client's events; null on the same-dialect path (the upstream's own events)
   */
  private record Try(RoutingContext ctx, StreamTranslation translation) implements StreamTry {

    @Override
    public StreamRelay.Transform transform() {
      return translation;
    }

    @Override
    public Future<Buffer> finished(HttpServerResponse response, StreamRelay relay, Usage usage, Buffer costComment) {
      if (translation != null) {
        return Future.succeededFuture(translation.end(usage, costComment));
      }
      // the upstream's message_stop (held back by the relay) follows the comment
      Buffer tail = relay.tail();
      return Future.succeededFuture(costComment.appendBuffer(tail.length() > 0 ? tail : MESSAGE_STOP));
    }

    @Override
    public Buffer cut(ApiError error) {
      return AnthropicErrors.sseEvent(error);
    }

    @Override
    public void accounted() {
      if (translation != null && translation.droppedFragments()) {
        LOG.debug("request {}: fragments of interleaved tool calls were left out of the stream", RequestIds.of(ctx));
      }
    }
  }
}
