package io.switchboard.cache;

import io.switchboard.auth.Caller;
import io.switchboard.limit.Limits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CacheKeyTest {

  private static final String TENANT = Caller.ANONYMOUS.tenant();

  private static JsonObject request() {
    return new JsonObject()
      .put("model", "auto")
      .put("temperature", 0)
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be brief."))
        .add(new JsonObject().put("role", "user").put("content", "the secret prompt")))
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "lookup").put("parameters", new JsonObject()))));
  }

  @Test
  void key_order_whitespace_number_spelling_and_null_members_do_not_change_the_key() {
    JsonObject reordered = new JsonObject(
      "{ \"tools\": [{\"function\": {\"parameters\": {}, \"name\": \"lookup\"}, \"type\": \"function\"}],\n"
        + "  \"messages\": [{\"content\": \"Be brief.\", \"role\": \"system\"},"
        + "               {\"content\": \"the secret prompt\", \"role\": \"user\", \"name\": null}],"
        + "  \"temperature\": 0.0e0, \"model\": \"auto\", \"top_p\": null }");

    assertThat(CacheKey.of(TENANT, reordered)).isEqualTo(CacheKey.of(TENANT, request()));
  }

  @Test
  void streaming_fields_do_not_change_the_key() {
    JsonObject streaming = request().put("stream", true)
      .put("stream_options", new JsonObject().put("include_usage", true));

    assertThat(CacheKey.of(TENANT, streaming)).isEqualTo(CacheKey.of(TENANT, request()));
  }

  @Test
  void every_field_that_shapes_the_answer_changes_the_key() {
    List<UnaryOperator<JsonObject>> mutations = List.of(
      r -> r.put("model", "auto:quality"),
      r -> r.put("temperature", 0.2),
      r -> r.put("top_p", 0.5),
      r -> r.put("max_tokens", 10),
      r -> r.put("max_completion_tokens", 10),
      r -> r.put("stop", new JsonArray().add("\n")),
      r -> r.put("seed", 1),
      r -> r.put("n", 2),
      r -> r.put("presence_penalty", 0.1),
      r -> r.put("frequency_penalty", 0.1),
      r -> r.put("logit_bias", new JsonObject().put("50256", -100)),
      r -> r.put("tool_choice", "required"),
      r -> r.put("response_format", new JsonObject().put("type", "json_object")),
      r -> r.put("user", "u-1"),
      r -> r.put("reasoning_effort", "high"),
      r -> { r.remove("tools"); return r; },
      r -> { r.getJsonArray("messages").getJsonObject(0).put("content", "Be long."); return r; },
      r -> { r.getJsonArray("messages").getJsonObject(1).put("role", "assistant"); return r; },
      r -> { r.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", "more")); return r; },
      r -> { r.getJsonArray("tools").getJsonObject(0).getJsonObject("function").put("name", "find"); return r; });

    Set<CacheKey> keys = new HashSet<>();
    keys.add(CacheKey.of(TENANT, request()));
    for (UnaryOperator<JsonObject> mutation : mutations) {
      keys.add(CacheKey.of(TENANT, mutation.apply(request())));
    }
    assertThat(keys).hasSize(1 + mutations.size());
  }

  @Test
  void the_same_request_of_two_tenants_has_two_keys_in_two_scopes() {
    Caller alice = new Caller("key-alice", "alice", "", Set.of(), Limits.NONE, 0, 0);
    Caller bob = new Caller("key-bob", "bob", "", Set.of(), Limits.NONE, 0, 0);

    CacheKey a = CacheKey.of(alice.tenant(), request());
    CacheKey b = CacheKey.of(bob.tenant(), request());
    CacheKey anonymous = CacheKey.of(Caller.ANONYMOUS.tenant(), request());

    assertThat(Set.of(a.scope(), b.scope(), anonymous.scope())).hasSize(3);
    assertThat(Set.of(a.digest(), b.digest(), anonymous.digest())).hasSize(3);
    assertThat(CacheKey.of(alice.tenant(), request())).isEqualTo(a);
  }

  @Test
  void a_key_is_hex_digests_only() {
    CacheKey key = CacheKey.of("key:some-tenant", request());

    assertThat(key.scope()).matches("[0-9a-f]{32}");
    assertThat(key.digest()).matches("[0-9a-f]{64}");
  }

  @Test
  void numbers_have_one_spelling() {
    assertThat(CanonicalJson.number(0)).isEqualTo("0");
    assertThat(CanonicalJson.number(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.number(1.50)).isEqualTo("1.5");
    assertThat(CanonicalJson.number(100.0)).isEqualTo("100");
    assertThat(CanonicalJson.number(100L)).isEqualTo("100");
    assertThat(CanonicalJson.number(1e-7)).isEqualTo("0.0000001");
  }
}
