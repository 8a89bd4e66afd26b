package io.switchboard.classify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keyword and shape rules: the classifier of last resort, used when no model is configured or a model does
 * not answer in time. One pass over the words of (a bounded part of) the last user message, so it costs
 * about a microsecond for a chat turn and never more than a few tens for a pasted document. Explainable,
 * not accurate.
 */
public final class HeuristicClassifier implements Classifier {

  /** Characters read from each end of the last user message: instructions sit at the start or the end. */
  static final int HEAD_CHARS = 2_000;
  static final int TAIL_CHARS = 1_000;
  /** Softmax sharpness: two more cue hits than the runner-up gives about 0.8 confidence. */
  private static final double SHARPNESS = 2.0;

  static final Set<TaskType> CODE_TASKS = Set.of(TaskType.CODE_GENERATION, TaskType.CODE_REVIEW,
    TaskType.DEBUGGING, TaskType.REFACTORING, TaskType.TESTING);
  static final Set<TaskType> REASONING_TASKS = Set.of(TaskType.REASONING, TaskType.ARCHITECTURE,
    TaskType.DEBUGGING, TaskType.ANALYSIS, TaskType.PLANNING, TaskType.SECURITY);
  private static final Set<String> CODE_WORDS = Set.of("function", "class", "method", "compile", "python", "java",
    "javascript", "typescript", "rust", "golang", "sql", "regex", "api", "json", "yaml", "bash", "script", "def",
    "import", "npm", "maven", "variable", "async", "null", "code", "repo", "git");
  private static final Set<String> CRITICAL_WORDS = Set.of("production", "outage", "critical", "urgent", "breach",
    "compliance", "legal", "medical", "financial", "incident");
  private static final Set<String> COMPLEX_WORDS = Set.of("design", "architecture", "optimize", "optimise",
    "scalability", "scale", "concurrency", "concurrent", "distributed", "tradeoffs", "trade-offs", "prove",
    "detailed", "comprehensive", "thorough", "multiple");
  private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "thanks", "thank", "yo", "morning");

  private static final Cues CUES = new Cues(vocabulary());

  @Override
  public String name() {
    return "heuristic";
  }

  @Override
  public Classification classify(PromptText prompt) {
    String text = bounded(prompt.lastUser());
    List<String> tokens = tokens(text);
    RequestFeatures features = prompt.features();
    EnumMap<TaskType, Double> scores = new EnumMap<>(TaskType.class);
    CUES.score(tokens, scores);
    if (!tokens.isEmpty() && GREETINGS.contains(tokens.get(0))) {
      scores.merge(TaskType.CONVERSATION, 1.0, Double::sum);
    }
    if (hasArithmetic(text)) {
      scores.merge(TaskType.REASONING, 1.0, Double::sum);
    }
    boolean cued = !scores.isEmpty();
    boolean codeLike = features.codeBlocks() > 0 || tokens.stream().anyMatch(CODE_WORDS::contains);
    if (codeLike) {
      CODE_TASKS.forEach(t -> scores.merge(t, 0.5, Double::sum));
    }
    if (features.toolsPresent()) {
      scores.merge(TaskType.CODE_GENERATION, 0.5, Double::sum);
    }
    if (!cued && !codeLike) {
      // nothing to go on: small talk if short, else some text to work on; the low confidence says so
      scores.merge(text.length() < 200 ? TaskType.CONVERSATION : TaskType.ANALYSIS, 0.5, Double::sum);
    }
    Map<String, Double> probabilities = softmax(scores);
    TaskType best = TaskType.CONVERSATION;
    double bestP = -1;
    for (TaskType type : TaskType.values()) {
      double p = probabilities.get(type.wireName());
      if (p > bestP) {
        best = type;
        bestP = p;
      }
    }
    Complexity complexity = complexity(tokens, features, best);
    boolean involvesCode = codeLike || CODE_TASKS.contains(best);
    boolean needsReasoning = REASONING_TASKS.contains(best) || complexity.ordinal() >= Complexity.COMPLEX.ordinal();
    Map<String, Double> complexityProbabilities = new LinkedHashMap<>();
    for (Complexity c : Complexity.values()) {
      complexityProbabilities.put(c.wireName(), c == complexity ? 0.7 : 0.1);
    }
    return new Classification(best, complexity, involvesCode, needsReasoning, pCheapOk(complexity, best), bestP,
      probabilities, complexityProbabilities, features, name());
  }

  static String bounded(String text) {
    if (text.length() <= HEAD_CHARS + TAIL_CHARS) {
      return text;
    }
    return text.substring(0, HEAD_CHARS) + "\n" + text.substring(text.length() - TAIL_CHARS);
  }

  /** Lower-case words: letters, digits, apostrophes and inner hyphens. */
  static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      if (Character.isLetterOrDigit(c) || ((c == '\'' || c == '-') && word.length() > 0)) {
        word.append(Character.toLowerCase(c));
      } else if (word.length() > 0) {
        int end = word.length();
        while (end > 0 && (word.charAt(end - 1) == '-' || word.charAt(end - 1) == '\'')) {
          end--;
        }
        if (end > 0) {
          tokens.add(word.substring(0, end));
        }
        word.setLength(0);
      }
    }
    return tokens;
  }

  /** A digit, an arithmetic operator, a digit ("12 * 7", "3+4"). */
  private static boolean hasArithmetic(String text) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        if (state == 2) {
          return true;
        }
        state = 1;
      } else if (c == ' ') {
        continue;
      } else if (state >= 1 && (c == '+' || c == '*' || c == '/' || c == '-' || c == 'x' || c == '^')) {
        state = 2;
      } else {
        state = 0;
      }
    }
    return false;
  }

  private static Complexity complexity(List<String> tokens, RequestFeatures features, TaskType type) {
    if (type == TaskType.SECURITY || tokens.stream().anyMatch(CRITICAL_WORDS::contains)) {
      return Complexity.CRITICAL;
    }
    long promptTokens = features.promptTokens();
    boolean complexCues = tokens.stream().anyMatch(COMPLEX_WORDS::contains);
    if (features.longContext() || promptTokens > 4_000 || (complexCues && promptTokens > 200)) {
      return Complexity.COMPLEX;
    }
    if (complexCues || promptTokens > 300 || features.codeBlocks() > 0 || features.toolsPresent()) {
      return Complexity.MEDIUM;
    }
    return Complexity.SIMPLE;
  }

  static double pCheapOk(Complexity complexity, TaskType type) {
    double base = switch (complexity) {
      case SIMPLE -> 0.9;
      case MEDIUM -> 0.65;
      case COMPLEX -> 0.35;
      case CRITICAL -> 0.1;
    };
    return REASONING_TASKS.contains(type) ? base * 0.8 : base;
  }

  private static Map<String, Double> softmax(Map<TaskType, Double> scores) {
    double sum = 0;
    double[] exp = new double[TaskType.values().length];
    for (TaskType type : TaskType.values()) {
      exp[type.ordinal()] = Math.exp(SHARPNESS * scores.getOrDefault(type, 0.0));
      sum += exp[type.ordinal()];
    }
    Map<String, Double> result = new LinkedHashMap<>();
    for (TaskType type : TaskType.values()) {
      result.put(type.wireName(), exp[type.ordinal()] / sum);
    }
    return result;
  }

  /** Cue words and phrases per task type; {@code *} ends a stem. */
  private static Map<TaskType, List<String>> vocabulary() {
    Map<TaskType, List<String>> v = new EnumMap<>(TaskType.class);
    v.put(TaskType.SECURITY, List.of("vulnerab*", "exploit*", "xss", "sql injection", "injection", "csrf", "cve",
      "pentest*", "pen test*", "security", "threat model*", "owasp", "sanitiz*", "privilege escalation",
      "auth bypass", "secret leak*", "malware", "phishing"));
    v.put(TaskType.DEBUGGING, List.of("error", "errors", "exception", "stack trace", "stacktrace", "traceback", "bug",
      "bugs", "crash*", "fail", "fails", "failing", "not working", "doesn't work", "doesnt work", "segfault",
      "fix this", "fix it", "fix the", "broken", "debug*", "panic*", "nullpointerexception"));
    v.put(TaskType.REFACTORING, List.of("refactor*", "clean up", "clean this up", "restructure", "simplify this code",
      "simplify the code", "extract method", "extract a method", "readab*", "duplicat*", "rename"));
    v.put(TaskType.TESTING, List.of("unit test*", "test case*", "tests for", "pytest", "junit", "jest", "coverage",
      "mock*", "integration test*", "tdd", "write test*", "write a test*"));
    v.put(TaskType.CODE_REVIEW, List.of("review", "code review", "pull request", "critique", "feedback on my code",
      "feedback on this code", "is this code", "best practice*"));
    v.put(TaskType.DOCUMENTATION, List.of("docstring*", "document*", "readme", "javadoc", "jsdoc", "api docs",
      "changelog", "comments to"));
    v.put(TaskType.ARCHITECTURE, List.of("architect*", "system design", "design a system", "microservice*",
      "scalab*", "high-level design", "event-driven", "database schema", "infrastructure", "component*"));
    v.put(TaskType.PLANNING, List.of("plan*", "roadmap", "steps to", "milestone*", "schedule", "prioriti*",
      "break down", "break it down", "strategy", "timeline"));
    v.put(TaskType.CODE_GENERATION, List.of("write a function", "write a script", "write a program", "write code",
      "write a class", "write a method", "write a query", "write a python", "write a java*", "write a sql",
      "write a bash", "implement*", "code that", "code to", "code for", "function that", "generate code", "regex",
      "snippet", "algorithm"));
    v.put(TaskType.ANALYSIS, List.of("analy*", "compare", "comparison", "evaluate", "pros and cons", "assess*",
      "insight*", "trend*", "interpret*", "implication*"));
    v.put(TaskType.REASONING, List.of("prove", "puzzle", "logic*", "calculate", "how many", "solve", "math*",
      "equation*", "probability", "riddle", "deduce", "percent*"));
    v.put(TaskType.CREATIVE, List.of("story", "poem", "poetry", "song", "lyrics", "fiction", "creative", "imagine",
      "haiku", "slogan", "joke", "novel", "screenplay", "character"));
    v.put(TaskType.FACTUAL, List.of("what is", "what are", "who is", "who was", "when did", "when was", "where is",
      "capital of", "define", "definition", "history of", "how does", "explain"));
    v.put(TaskType.EXTRACTION, List.of("extract*", "parse", "pull out", "list all", "find all", "entities", "fields",
      "structured data", "into json", "as json"));
    v.put(TaskType.SUMMARIZATION, List.of("summar*", "tldr", "tl dr", "key points", "condense", "brief overview",
      "recap", "gist"));
    List<String> languages = List.of("french", "spanish", "german", "italian", "chinese", "japanese", "korean",
      "portuguese", "english", "russian", "arabic", "dutch");
    List<String> translation = new ArrayList<>(List.of("translat*"));
    languages.forEach(l -> {
      translation.add("in " + l);
      translation.add("into " + l);
    });
    translation.add("to english");
    v.put(TaskType.TRANSLATION, translation);
    v.put(TaskType.CONVERSATION, List.of("how are you", "what's up", "nice to meet", "good morning", "good evening",
      "good night", "thank you"));
    return v;
  }
}
