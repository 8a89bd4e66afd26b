package io.switchboard.replay;

import io.switchboard.classify.ClassifyRequest;
import io.switchboard.classify.TokenCounter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the three kinds of input: JSONL of OpenAI chat requests, RouteLLM's outcome CSVs (MMLU, GSM8K), and
 * arena-bench-v1's questions with judge scores. Every reader returns the same {@link Workload}.
 */
final class Workloads {

  /** File of RouteLLM's eval prompts that are also in its training data, next to the outcome CSVs. */
  static final String CONTAMINATED = "contaminated_prompts.jsonl";

  private Workloads() {
  }

  /** Reads {@code path}: a {@code .jsonl} file of chat requests, a RouteLLM CSV or MMLU folder, or arena-bench. */
  static Workload read(Path path, boolean keepContaminated) {
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("question.jsonl")) && Files.isRegularFile(path.resolve("scores.csv"))) {
        return arenaBench(path);
      }
      if (Files.isDirectory(path.resolve("responses"))) {
        return routeLlm(csvFiles(path.resolve("responses")), path, keepContaminated);
      }
      throw new ReplayException(path + ": not a known data folder (arena-bench: question.jsonl + scores.csv; "
        + "RouteLLM MMLU: responses/*.csv)");
    }
    if (!Files.isRegularFile(path)) {
      throw new ReplayException(path + ": not found");
    }
    String name = path.getFileName().toString();
    if (name.endsWith(".csv")) {
      Path dir = path.toAbsolutePath().getParent();
      Path home = dir.getFileName().toString().equals("responses") ? dir.getParent() : dir;
      return routeLlm(List.of(path), home, keepContaminated);
    }
    return chatRequests(path);
  }

  private static List<Path> csvFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> csv = files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
      if (csv.isEmpty()) {
        throw new ReplayException(dir + ": holds no .csv files");
      }
      return csv;
    } catch (IOException e) {
      throw new ReplayException(dir + ": cannot be listed (" + e.getMessage() + ")");
    }
  }

  /** One OpenAI chat request per line, plus optional {@code id}, {@code category}, {@code usage}, {@code outcomes}. */
  static Workload chatRequests(Path file) {
    List<ReplayItem> items = new ArrayList<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String at = file + ":" + (i + 1);
      JsonObject body;
      try {
        body = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        throw new ReplayException(at + ": not a JSON object");
      }
      if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
        throw new ReplayException(at + ": 'messages' must be a non-empty array");
      }
      Object tools = body.getValue("tools");
      long maxTokens = number(body, "max_completion_tokens", at, number(body, "max_tokens", at, 0));
      JsonObject usage = object(body, "usage", at);
      Map<String, Double> outcomes = new LinkedHashMap<>();
      JsonObject given = object(body, "outcomes", at);
      for (String model : given.fieldNames()) {
        outcomes.put(model, outcome(given.getValue(model), at + ": outcomes." + model));
      }
      items.add(new ReplayItem(body.getValue("id") == null ? "line-" + (i + 1) : String.valueOf(body.getValue("id")),
        body.getString("category"), new ClassifyRequest(messages, tools != null, tools == null ? 0 : tools.toString().length(),
        line.length()), maxTokens, number(usage, "prompt_tokens", at, -1), number(usage, "completion_tokens", at, -1),
        Map.of(), outcomes));
    }
    if (items.isEmpty()) {
      throw new ReplayException(file + ": holds no requests");
    }
    return new Workload(file.getFileName().toString(), items, 0, null, List.of(), null);
  }

  /**
   * RouteLLM outcomes: columns {@code prompt}, then one True/False column per model (weak first, strong second),
   * then optionally {@code <model>_response} with each model's answer (its tokens are counted as that model's output).
   */
  static Workload routeLlm(List<Path> files, Path home, boolean keepContaminated) {
    Set<String> contaminated = keepContaminated ? Set.of() : contaminated(home.resolve(CONTAMINATED));
    List<ReplayItem> items = new ArrayList<>();
    List<String> models = null;
    int excluded = 0;
    boolean answers = false;
    for (Path file : files) {
      List<List<String>> records = Csv.parse(text(file), file.toString());
      if (records.size() < 2 || !records.get(0).get(0).equals("prompt")) {
        throw new ReplayException(file + ": expected a header 'prompt,<weak model>,<strong model>[,...]' and rows");
      }
      List<String> header = records.get(0);
      List<String> outcomeColumns = header.stream().skip(1).filter(h -> !h.endsWith("_response")).toList();
      if (outcomeColumns.size() != 2) {
        throw new ReplayException(file + ": expected two model columns after 'prompt', found " + outcomeColumns);
      }
      if (models == null) {
        models = outcomeColumns;
      } else if (!models.equals(outcomeColumns)) {
        throw new ReplayException(file + ": model columns " + outcomeColumns + " differ from " + models);
      }
      String stem = file.getFileName().toString().replaceFirst("\\.csv$", "");
      String category = stem.startsWith("mmlu_") ? stem.substring("mmlu_".length()) : null;
      for (int row = 1; row < records.size(); row++) {
        List<String> record = records.get(row);
        String at = file + ": row " + row;
        if (record.size() != header.size()) {
          throw new ReplayException(at + ": " + record.size() + " fields, the header has " + header.size());
        }
        String prompt = record.get(0);
        if (contaminated.contains(prompt)) {
          excluded++;
          continue;
        }
        Map<String, Double> outcomes = new LinkedHashMap<>();
        Map<String, Long> output = new HashMap<>();
        for (int col = 1; col < header.size(); col++) {
          String name = header.get(col);
          if (name.endsWith("_response")) {
            output.put(name.substring(0, name.length() - "_response".length()), (long) TokenCounter.count(record.get(col)));
          } else {
            outcomes.put(name, outcome(record.get(col), at + ", " + name));
          }
        }
        answers |= !output.isEmpty();
        // RouteLLM generated MMLU answers with max_new_tokens=1; GSM8K files carry the answers themselves
        items.add(new ReplayItem(stem + ":" + (row - 1), category, userPrompt(prompt), 0, -1,
          output.isEmpty() ? 1 : -1, output, outcomes));
      }
    }
    String name = files.size() == 1 ? files.get(0).getFileName().toString() : home.getFileName().toString();
    return new Workload(name, items, excluded, models.get(1), models, answers
      ? "each model's own answer in the file, counted (o200k_base)"
      : "1 token (RouteLLM generated these answers with max_new_tokens=1); prompts are the question as stored");
  }

  /** arena-bench-v1: {@code question.jsonl} (one-turn prompts) and {@code scores.csv} (question_id, model, score). */
  static Workload arenaBench(Path dir) {
    Map<String, Map<String, Double>> scores = new HashMap<>();
    Set<String> incomplete = new HashSet<>();
    Set<String> models = new java.util.TreeSet<>();
    Path scoresFile = dir.resolve("scores.csv");
    List<List<String>> records = Csv.parse(text(scoresFile), scoresFile.toString());
    if (records.isEmpty() || !records.get(0).equals(List.of("question_id", "model", "score"))) {
      throw new ReplayException(scoresFile + ": expected the header 'question_id,model,score'");
    }
    for (int row = 1; row < records.size(); row++) {
      List<String> r = records.get(row);
      if (r.size() != 3) {
        throw new ReplayException(scoresFile + ": row " + row + ": expected 3 fields");
      }
      models.add(r.get(1));
      if (r.get(2).isBlank()) {
        incomplete.add(r.get(0));   // the judge gave no rating: the question cannot be compared across models
        continue;
      }
      try {
        scores.computeIfAbsent(r.get(0), id -> new HashMap<>()).put(r.get(1), Double.parseDouble(r.get(2)));
      } catch (NumberFormatException e) {
        throw new ReplayException(scoresFile + ": row " + row + ": score '" + r.get(2) + "' is not a number");
      }
    }
    Path questions = dir.resolve("question.jsonl");
    List<ReplayItem> items = new ArrayList<>();
    int dropped = 0;
    List<String> lines = lines(questions);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonObject q;
      try {
        q = new JsonObject(lines.get(i));
      } catch (DecodeException | ClassCastException e) {
        throw new ReplayException(questions + ":" + (i + 1) + ": not a JSON object");
      }
      String id = q.getString("question_id");
      JsonArray turns = q.getJsonArray("turns");
      if (id == null || turns == null || turns.isEmpty()) {
        throw new ReplayException(questions + ":" + (i + 1) + ": needs question_id and turns");
      }
      Map<String, Double> outcomes = scores.getOrDefault(id, Map.of());
      if (incomplete.contains(id) || !outcomes.keySet().equals(models)) {
        dropped++;
        continue;
      }
      items.add(new ReplayItem(id, null, userPrompt(turns.getString(0)), 0, -1, -1, Map.of(), outcomes));
    }
    return new Workload(dir.getFileName().toString(), items, dropped, null, List.copyOf(models), null);
  }

  private static ClassifyRequest userPrompt(String prompt) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt));
    return new ClassifyRequest(messages, false, 0, prompt.length());
  }

  private static Set<String> contaminated(Path file) {
    if (!Files.isRegularFile(file)) {
      return Set.of();
    }
    Set<String> prompts = new HashSet<>();
    for (String line : lines(file)) {
      if (!line.isBlank()) {
        prompts.add(new JsonObject(line).getString("eval_prompt"));
      }
    }
    return prompts;
  }

  private static double outcome(Object value, String at) {
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      switch (s.trim()) {
        case "True", "true" -> {
          return 1;
        }
        case "False", "false" -> {
          return 0;
        }
        default -> {
          try {
            return Double.parseDouble(s.trim());
          } catch (NumberFormatException e) {
            throw new ReplayException(at + ": '" + s + "' is not True, False or a number");
          }
        }
      }
    }
    throw new ReplayException(at + ": expected True, False or a number");
  }

  private static long number(JsonObject json, String key, String at, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
      throw new ReplayException(at + ": '" + key + "' must be a whole number >= 0");
    }
    return n.longValue();
  }

  private static JsonObject object(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new ReplayException(at + ": '" + key + "' must be an object");
    }
    return object;
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ReplayException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<String> lines(Path file) {
    return text(file).lines().toList();
  }
}
