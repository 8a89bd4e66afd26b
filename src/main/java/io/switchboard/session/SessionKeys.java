package io.switchboard.session;

import io.switchboard.classify.PromptText;
import io.switchboard.openai.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who a request's conversation is, as SHA-256 digests only (no text is kept): the client's session name
 * ({@code x-switchboard-session} or {@code switchboard.session}), else its end-user id ({@code user}, which
 * Anthropic's {@code metadata.user_id} becomes), else the system prompt with the first user message, which stay
 * the same for every turn of one conversation.
 *
 * @param source where the identity came from: {@code session}, {@code user} or {@code prompt}
 * @param identity digest of the conversation's identity
 * @param systemDigest digest of the request's system prompt (all system and developer messages)
 */
public record SessionKeys(String source, String identity, String systemDigest) {

  public static SessionKeys of(ChatRequest request) {
    JsonArray messages = request.messages();
    StringBuilder system = new StringBuilder();
    String firstUser = null;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.getValue(i) instanceof JsonObject message) {
        String role = message.getString("role", "");
        if (role.equals("system") || role.equals("developer")) {
          system.append(PromptText.text(message)).append('\u0000');
        } else if (role.equals("user") && firstUser == null) {
          firstUser = PromptText.text(message);
        }
      }
    }
    String systemDigest = sha256(system.toString());
    if (request.options().session().isPresent()) {
      return new SessionKeys("session", sha256("session\u0000" + request.options().session().get()), systemDigest);
    }
    if (request.body().getValue("user") instanceof String user && !user.isBlank()) {
      return new SessionKeys("user", sha256("user\u0000" + user), systemDigest);
    }
    return new SessionKeys("prompt", sha256("prompt\u0000" + system + '\u0000' + (firstUser == null ? "" : firstUser)),
      systemDigest);
  }

  /** The key of this conversation's thread under {@code policy}: one per system prompt (main, each sub-agent). */
  public String pinKey(String policy) {
    return sha256(policy + '\u0000' + identity + '\u0000' + systemDigest);
  }

  static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
