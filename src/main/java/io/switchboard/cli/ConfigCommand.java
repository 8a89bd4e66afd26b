package io.switchboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.GatewayConfig;
import io.switchboard.route.Router;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code switchboard config [--validate]}: the configuration {@code serve} would run with (the file, then the
 * {@code SWITCHBOARD_*} environment, then {@code --key.path=value} arguments), printed, or checked the way start-up
 * checks it: exit 0, or 2 with the first problem on one line.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
  description = {"Print the effective configuration, or check it (--validate) as start-up does.",
    "Takes serve's arguments: --conf FILE and --key.path=value overrides."})
final class ConfigCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--validate", description = "Check the configuration: exit 0, or 2 with the problem")
  private boolean validate;

  @Option(names = "--json", description = "Print it as JSON rather than YAML")
  private boolean json;

  @Option(names = "--conf", paramLabel = "FILE", description = "The file (default: as serve finds it)")
  private String conf;

  /** {@code --key.path=value} overrides, read by the configuration loader as serve reads them. */
  @Unmatched
  private List<String> overrides = new ArrayList<>();

  private final Map<String, String> env;

  ConfigCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    Quiet.logs();
    List<String> args = new ArrayList<>(overrides);
    if (conf != null) {
      args.addAll(0, List.of("--conf", conf));
    }
    JsonObject effective = ConfigLoader.load(args, env);
    PrintWriter out = spec.commandLine().getOut();
    if (!validate) {
      out.print(json ? effective.encodePrettily() + System.lineSeparator()
        : new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .writeValueAsString(new ObjectMapper().readTree(effective.encode())));
      out.flush();
      return Cli.OK;
    }
    GatewayConfig config = GatewayConfig.from(effective.copy(), env);
    // threshold policies calibrate on construction, reading their reference files: start-up fails there too
    new Router(config);
    out.println("configuration OK: " + source() + ": " + config.providers().size() + " providers, "
      + config.models().size() + " models, " + config.routing().policies().size() + " policies; gateway on "
      + config.server().host() + ":" + config.server().port() + ", admin API on " + config.admin().host() + ":"
      + config.admin().port());
    return Cli.OK;
  }

  /** Which file the loader read, by its own precedence. */
  private String source() {
    if (conf != null) {
      return conf;
    }
    if (env.get(ConfigLoader.CONF_ENV) != null) {
      return env.get(ConfigLoader.CONF_ENV);
    }
    Path local = Path.of("conf", "switchboard.yaml");
    return Files.isRegularFile(local) ? local.toString() : "the configuration inside the jar";
  }
}
