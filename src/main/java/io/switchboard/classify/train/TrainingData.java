package io.switchboard.classify.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.classify.Complexity;
import io.switchboard.classify.TaskType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The labelled prompts: the project's seed set plus public sets mapped to task types (the mapping is written in
 * the model card). Large sources are sampled by a stable hash so that no source drowns the others.
 */
final class TrainingData {

  /** Share of groups held out for evaluation. */
  static final double HELD_OUT = 0.2;
  static final int GSM8K_SAMPLE = 200;
  static final int MMLU_PER_SUBJECT = 6;

  /** MMLU subjects whose questions are worked problems rather than recall. */
  static final Set<String> MMLU_REASONING = Set.of("abstract_algebra", "college_mathematics", "college_physics",
    "elementary_mathematics", "formal_logic", "high_school_mathematics", "high_school_physics",
    "high_school_statistics", "college_chemistry", "high_school_chemistry", "econometrics", "logical_fallacies",
    "machine_learning", "college_computer_science", "high_school_computer_science");
  static final Map<String, TaskType> VICUNA = Map.of("generic", TaskType.CONVERSATION, "knowledge",
    TaskType.FACTUAL, "roleplay", TaskType.CREATIVE, "common-sense", TaskType.REASONING, "fermi", TaskType.REASONING,
    "counterfactual", TaskType.CREATIVE, "writing", TaskType.CREATIVE, "coding", TaskType.CODE_GENERATION, "math",
    TaskType.REASONING);
  static final Map<String, TaskType> ARENA_HARD = Map.of("coding", TaskType.CODE_GENERATION, "math",
    TaskType.REASONING, "creative_writing", TaskType.CREATIVE);

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingData() {
  }

  static List<Example> load(Path seed, Path shared) throws IOException {
    List<Example> all = new ArrayList<>();
    for (JsonNode row : jsonLines(seed)) {
      all.add(new Example("seed", "seed:" + row.get("id").asText(), row.get("prompt").asText(),
        TaskType.fromWireName(row.get("task_type").asText()).orElseThrow(),
        Complexity.fromWireName(row.get("complexity").asText())));
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
      Files.newInputStream(shared.resolve("humaneval/HumanEval.jsonl.gz"))), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          JsonNode row = JSON.readTree(line);
          all.add(new Example("humaneval", "humaneval:" + row.get("task_id").asText(), row.get("prompt").asText(),
            TaskType.CODE_GENERATION, null));
        }
      }
    }
    List<JsonNode> gsm = jsonLines(shared.resolve("gsm8k/train.jsonl"));
    gsm.sort(Comparator.comparing(row -> hash("gsm8k:" + row.get("question").asText())));
    for (JsonNode row : gsm.subList(0, GSM8K_SAMPLE)) {
      String q = row.get("question").asText();
      all.add(new Example("gsm8k", "gsm8k:" + q, q, TaskType.REASONING, null));
    }
    for (JsonNode row : jsonLines(shared.resolve("arena-hard/arena-hard-v2.0-question.jsonl"))) {
      TaskType type = ARENA_HARD.get(row.get("subcategory").asText());
      if (type != null) {
        all.add(new Example("arena-hard-v2.0", "arena:" + row.get("uid").asText(), row.get("prompt").asText(), type,
          null));
      }
    }
    for (JsonNode row : jsonLines(shared.resolve("fastchat-bench/vicuna_bench_question.jsonl"))) {
      TaskType type = VICUNA.get(row.get("category").asText());
      all.add(new Example("vicuna-bench", "vicuna:" + row.get("question_id").asText(),
        row.get("turns").get(0).asText(), type, null));
    }
    Path mmlu = shared.resolve("routellm-evals/mmlu/responses");
    List<Path> subjects;
    try (Stream<Path> files = Files.list(mmlu)) {
      subjects = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    for (Path file : subjects) {
      String subject = file.getFileName().toString().replaceFirst("^mmlu_", "").replaceFirst("\\.csv$", "");
      TaskType type = MMLU_REASONING.contains(subject) ? TaskType.REASONING : TaskType.FACTUAL;
      List<String> questions = new ArrayList<>(Csv.firstColumn(Files.readString(file, StandardCharsets.UTF_8)));
      questions.sort(Comparator.comparing(q -> hash("mmlu:" + q)));
      for (String q : questions.subList(0, Math.min(MMLU_PER_SUBJECT, questions.size()))) {
        all.add(new Example("mmlu", "mmlu:" + q, q, type, null));
      }
    }
    return all;
  }

  /** Held out when the group's hash falls in the first {@link #HELD_OUT} of the range: stable, per source item. */
  static boolean heldOut(Example e) {
    return Long.remainderUnsigned(Long.parseUnsignedLong(hash(e.group()).substring(0, 15), 16), 1000)
      < HELD_OUT * 1000;
  }

  static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }
}
