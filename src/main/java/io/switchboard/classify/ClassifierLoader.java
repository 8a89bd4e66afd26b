package io.switchboard.classify;

import io.switchboard.config.ClassifierConfig;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the configured classifier. A model loads once per process (one ONNX Runtime session, shared by every
 * verticle and gateway instance in it); when it is missing or cannot be loaded the heuristic classifier answers
 * instead, with one log line that says why.
 */
public final class ClassifierLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ClassifierLoader.class);
  private static final Map<String, StaticModel> MODELS = new ConcurrentHashMap<>();

  private ClassifierLoader() {
  }

  /** Blocking (reads and compiles the model): call it off the event loop. */
  public static Classifier load(ClassifierConfig config) {
    if (config.tier().equals(ClassifierConfig.HEURISTIC)) {
      return new HeuristicClassifier();
    }
    try {
      StaticModel model = MODELS.get(config.model() + "|" + config.device());
      if (model == null) {
        model = StaticModel.load(read(config.model()), config.device().equals("cuda"));
        StaticModel raced = MODELS.putIfAbsent(config.model() + "|" + config.device(), model);
        if (raced != null) {
          model.close();
          model = raced;
        }
      }
      ModelInput input = ModelInput.minilm();
      // the first run initialises ONNX Runtime's kernels: pay for it here, not in the first request's time budget
      model.predict(input.ids("warm up"));
      return new StaticModelClassifier(model, input, config.cacheEntries(), cheapOk(config.model()));
    } catch (Exception e) {
      LOG.warn("classifier tier static is unavailable, the heuristic classifier answers instead: {}", reason(e));
      return new HeuristicClassifier();
    }
  }

  /**
   * The trained p_cheap_ok head next to the model file ({@link CheapOkHead#FILE}), or null (with one log line) when
   * there is none or it cannot be read: p_cheap_ok is then the heuristic's rule, as before the head existed.
   */
  static CheapOkHead cheapOk(String model) {
    Path parent = Path.of(model).getParent();
    String head = parent == null ? CheapOkHead.FILE : parent.resolve(CheapOkHead.FILE).toString();
    try {
      return CheapOkHead.parse(new JsonObject(new String(read(head), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("classifier: no trained p_cheap_ok ({}: {}); p_cheap_ok is the heuristic rule", head, reason(e));
      return null;
    }
  }

  /** The file at {@code model}, else the class-path resource of the same path (the model travels in the jar). */
  static byte[] read(String model) throws IOException {
    Path file = Path.of(model);
    if (Files.isRegularFile(file)) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = ClassifierLoader.class.getResourceAsStream("/" + model.replaceFirst("^\\./", ""))) {
      if (in == null) {
        throw new NoSuchFileException(model, null, "no such file, nor on the class path");
      }
      return in.readAllBytes();
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
