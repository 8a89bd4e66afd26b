package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code switchboard keys create|list|revoke}: virtual keys, through {@code /admin/keys}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke virtual keys.",
  synopsisSubcommandLabel = "COMMAND")
final class KeysCommand implements Runnable {

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is needed: create, list or revoke");
  }

  /** {@code keys create --name NAME ...}: the secret is printed this once. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is shown once.")
  static final class Create extends AdminCommand {

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for")
    private String name;

    @Option(names = "--user", paramLabel = "USER", description = "User whose budget it spends against")
    private String user;

    @Option(names = "--team", paramLabel = "TEAM", description = "Team whose budget it spends against")
    private String team;

    @Option(names = "--models", paramLabel = "MODEL", split = ",",
      description = "Models, aliases or policies it may use (default: all)")
    private List<String> models = new ArrayList<>();

    @Option(names = "--daily-usd", paramLabel = "USD", description = "The key's own daily budget")
    private Double dailyUsd;

    @Option(names = "--monthly-usd", paramLabel = "USD", description = "The key's own monthly budget")
    private Double monthlyUsd;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute")
    private Long requestsPerMinute;

    @Option(names = "--input-tpm", paramLabel = "N", description = "Input tokens per minute")
    private Long inputTokensPerMinute;

    @Option(names = "--output-tpm", paramLabel = "N", description = "Output tokens per minute")
    private Long outputTokensPerMinute;

    Create(Map<String, String> env) {
      super(env);
    }

    @Override
    JsonObject exchange(AdminClient client) {
      JsonObject body = new JsonObject().put("name", name);
      if (user != null) {
        body.put("user", user);
      }
      if (team != null) {
        body.put("team", team);
      }
      if (!models.isEmpty()) {
        body.put("models", new JsonArray(models));
      }
      JsonObject budget = new JsonObject();
      putIfSet(budget, "daily_usd", dailyUsd);
      putIfSet(budget, "monthly_usd", monthlyUsd);
      if (!budget.isEmpty()) {
        body.put("budget", budget);
      }
      JsonObject limits = new JsonObject();
      putIfSet(limits, "requests_per_minute", requestsPerMinute);
      putIfSet(limits, "input_tokens_per_minute", inputTokensPerMinute);
      putIfSet(limits, "output_tokens_per_minute", outputTokensPerMinute);
      if (!limits.isEmpty()) {
        body.put("limits", limits);
      }
      return client.post("/admin/keys", body);
    }

    private static void putIfSet(JsonObject json, String field, Object value) {
      if (value != null) {
        json.put(field, value);
      }
    }

    @Override
    void print(JsonObject answer, PrintWriter out) {
      out.println("created key " + answer.getString("id") + " (" + answer.getString("name") + ")");
      out.println("secret: " + answer.getString("key"));
      out.println("(shown this once: store it now; clients send it as 'Authorization: Bearer <secret>')");
    }
  }

  /** {@code keys list}: every key, without secrets. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
  static final class ListKeys extends AdminCommand {

    ListKeys(Map<String, String> env) {
      super(env);
    }

    @Override
    JsonObject exchange(AdminClient client) {
      return client.get("/admin/keys");
    }

    @Override
    void print(JsonObject answer, PrintWriter out) {
      Table table = new Table("ID", "NAME", "USER", "TEAM", "MODELS", "DAILY", "MONTHLY", "RPM", "CREATED", "REVOKED");
      answer.getJsonArray("data").stream().map(JsonObject.class::cast).forEach(key -> {
        JsonObject budget = key.getJsonObject("budget", new JsonObject());
        JsonArray models = key.getJsonArray("models", new JsonArray());
        table.row(Format.text(key, "id"), Format.text(key, "name"), Format.text(key, "user"), Format.text(key, "team"),
          models.isEmpty() ? "all" : String.join(",", models.stream().map(Object::toString).toList()),
          Format.usd(budget, "daily_usd"), Format.usd(budget, "monthly_usd"),
          Format.count(key.getJsonObject("limits", new JsonObject()), "requests_per_minute"),
          Format.text(key, "created_at"), key.getBoolean("revoked", false) ? "yes" : "no");
      });
      if (table.isEmpty()) {
        out.println("no keys: the gateway's /v1 endpoints are open (create one with 'switchboard keys create')");
        return;
      }
      table.print(out);
    }
  }

  /** {@code keys revoke ID}: requests with the key are refused from then on. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id.")
  static final class Revoke extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id (see 'keys list')")
    private String id;

    Revoke(Map<String, String> env) {
      super(env);
    }

    @Override
    JsonObject exchange(AdminClient client) {
      return client.delete("/admin/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Override
    void print(JsonObject answer, PrintWriter out) {
      out.println("revoked key " + answer.getString("id") + " (" + answer.getString("name") + ")");
    }
  }
}
