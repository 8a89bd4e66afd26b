package io.switchboard.classify;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keyword and shape rules: the classifier of last resort, used when no model is configured or a model does
 * not answer in time. Cheap (microseconds for ordinary prompts) and explainable, not accurate.
 */
public final class HeuristicClassifier implements Classifier {

  /** Softmax sharpness: two more cue hits than the runner-up gives about 0.8 confidence. */
  private static final double SHARPNESS = 2.0;
  private static final Map<TaskType, Pattern> CUES = new EnumMap<>(TaskType.class);
  private static final Set<TaskType> CODE_TASKS = Set.of(TaskType.CODE_GENERATION, TaskType.CODE_REVIEW,
    TaskType.DEBUGGING, TaskType.REFACTORING, TaskType.TESTING);
  private static final Set<TaskType> REASONING_TASKS = Set.of(TaskType.REASONING, TaskType.ARCHITECTURE,
    TaskType.DEBUGGING, TaskType.ANALYSIS, TaskType.PLANNING, TaskType.SECURITY);
  private static final Pattern CODE_SIGNS = words("function", "class", "method", "compile", "python", "java",
    "javascript", "typescript", "rust", "golang", "sql", "regex", "api", "json", "yaml", "bash", "script", "def", "import",
    "npm", "maven", "variable", "null pointer", "async");
  private static final Pattern CRITICAL_SIGNS = words("production", "outage", "data loss", "critical", "urgent",
    "security incident", "breach", "compliance", "legal", "medical", "financial");
  private static final Pattern COMPLEX_SIGNS = words("design", "architecture", "optimi[sz]e", "scal\\w*", "concurren\\w*",
    "distributed", "trade-?offs?", "prove", "step by step", "in depth", "detailed", "comprehensive", "multiple");

  static {
    cue(TaskType.SECURITY, "vulnerab\\w*", "exploit\\w*", "xss", "sql injection", "csrf", "cve", "pen ?test\\w*",
      "security", "threat model\\w*", "owasp", "sanitiz\\w*", "privilege escalation", "auth bypass", "secrets? leak\\w*");
    cue(TaskType.DEBUGGING, "error", "exception", "stack ?trace", "traceback", "bug", "crash\\w*", "fails?", "failing",
      "not working", "doesn'?t work", "segfault", "fix (this|it|the)", "broken", "debug\\w*", "panic\\w*");
    cue(TaskType.REFACTORING, "refactor\\w*", "clean (this |it )?up", "restructure", "simplify (this|the) code",
      "extract (a )?method", "readab\\w*", "duplicat\\w*", "rename");
    cue(TaskType.TESTING, "unit tests?", "test cases?", "tests for", "pytest", "junit", "jest", "coverage", "mock\\w*",
      "integration tests?", "tdd", "write tests?");
    cue(TaskType.CODE_REVIEW, "review", "code review", "pull request", "critique", "feedback on (my|this) code",
      "is this code", "best practices?");
    cue(TaskType.DOCUMENTATION, "docstrings?", "document\\w*", "readme", "javadoc", "jsdoc", "api docs", "comments? to",
      "changelog");
    cue(TaskType.ARCHITECTURE, "architect\\w*", "system design", "design a system", "microservices?", "scalab\\w*",
      "high-level design", "event-driven", "database schema", "infrastructure", "components?");
    cue(TaskType.PLANNING, "plan\\w*", "roadmap", "steps to", "milestones?", "schedule", "prioriti[sz]e", "break (it )?down",
      "strategy", "timeline");
    cue(TaskType.CODE_GENERATION, "write (a|an|the)? ?(python|java|javascript|typescript|go|rust|c\\+\\+|sql|bash)?"
      + " ?(function|script|program|class|method|query|code)", "implement\\w*", "code (that|to|for)", "function that",
      "generate code", "regex", "snippet", "def \\w+\\(", "algorithm");
    cue(TaskType.ANALYSIS, "analy[sz]\\w*", "compare", "comparison", "evaluate", "pros and cons", "assess\\w*",
      "insights?", "trends?", "interpret\\w*", "implications?");
    cue(TaskType.REASONING, "prove", "puzzle", "logic\\w*", "calculate", "how many", "solve", "math\\w*", "equations?",
      "probability", "riddle", "deduce", "\\d+\\s*[-+*/x]\\s*\\d+", "percent\\w*");
    cue(TaskType.CREATIVE, "story", "poem", "poetry", "song", "lyrics", "fiction", "creative", "imagine", "haiku",
      "slogan", "joke", "novel", "screenplay", "character");
    cue(TaskType.FACTUAL, "what is", "what are", "who (is|was)", "when (did|was)", "where is", "capital of", "define",
      "definition", "history of", "how does", "explain");
    cue(TaskType.EXTRACTION, "extract\\w*", "parse", "pull out", "list all", "find all", "entities", "fields",
      "structured data", "into json", "as json");
    cue(TaskType.SUMMARIZATION, "summar\\w*", "tl;?dr", "key points", "condense", "brief overview", "recap", "gist");
    cue(TaskType.TRANSLATION, "translat\\w*", "in (french|spanish|german|italian|chinese|japanese|korean|portuguese)",
      "into (french|spanish|german|italian|chinese|japanese|korean|portuguese|english)", "to english");
    cue(TaskType.CONVERSATION, "^\\s*(hi|hello|hey|thanks|thank you|good (morning|evening|night))\\b", "how are you",
      "what'?s up", "nice to meet");
  }

  @Override
  public String name() {
    return "heuristic";
  }

  @Override
  public Classification classify(PromptText prompt) {
    String text = prompt.lastUser().toLowerCase(Locale.ROOT);
    RequestFeatures features = prompt.features();
    Map<TaskType, Double> scores = new EnumMap<>(TaskType.class);
    for (Map.Entry<TaskType, Pattern> entry : CUES.entrySet()) {
      Matcher matcher = entry.getValue().matcher(text);
      double score = 0;
      while (matcher.find()) {
        score += 1.0;
      }
      scores.put(entry.getKey(), score);
    }
    boolean codeLike = features.codeBlocks() > 0 || CODE_SIGNS.matcher(text).find();
    if (codeLike) {
      CODE_TASKS.forEach(t -> scores.merge(t, 0.5, Double::sum));
    }
    if (features.toolsPresent()) {
      scores.merge(TaskType.CODE_GENERATION, 0.5, Double::sum);
    }
    if (text.length() < 40 && scores.values().stream().allMatch(s -> s < 1)) {
      scores.merge(TaskType.CONVERSATION, 1.0, Double::sum);
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
    Complexity complexity = complexity(text, features, best);
    boolean involvesCode = codeLike || CODE_TASKS.contains(best);
    boolean needsReasoning = REASONING_TASKS.contains(best) || complexity.ordinal() >= Complexity.COMPLEX.ordinal();
    Map<String, Double> complexityProbabilities = new LinkedHashMap<>();
    for (Complexity c : Complexity.values()) {
      complexityProbabilities.put(c.wireName(), c == complexity ? 0.7 : 0.1);
    }
    return new Classification(best, complexity, involvesCode, needsReasoning, pCheapOk(complexity, best), bestP,
      probabilities, complexityProbabilities, features, name());
  }

  private static Complexity complexity(String text, RequestFeatures features, TaskType type) {
    if (type == TaskType.SECURITY || CRITICAL_SIGNS.matcher(text).find()) {
      return Complexity.CRITICAL;
    }
    long tokens = features.promptTokens();
    boolean complexCues = COMPLEX_SIGNS.matcher(text).find();
    if (features.longContext() || tokens > 4_000 || (complexCues && tokens > 200)) {
      return Complexity.COMPLEX;
    }
    if (complexCues || tokens > 300 || features.codeBlocks() > 0 || features.toolsPresent()) {
      return Complexity.MEDIUM;
    }
    return Complexity.SIMPLE;
  }

  private static double pCheapOk(Complexity complexity, TaskType type) {
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
    Map<TaskType, Double> exp = new EnumMap<>(TaskType.class);
    for (TaskType type : TaskType.values()) {
      double e = Math.exp(SHARPNESS * scores.getOrDefault(type, 0.0));
      exp.put(type, e);
      sum += e;
    }
    Map<String, Double> result = new LinkedHashMap<>();
    for (TaskType type : TaskType.values()) {
      result.put(type.wireName(), exp.get(type) / sum);
    }
    return result;
  }

  /** One alternation per task type: a single scan of the prompt counts every cue it contains. */
  private static void cue(TaskType type, String... regexes) {
    CUES.put(type, Pattern.compile("(?:^|\\b)(?:" + String.join("|", regexes) + ")"));
  }

  private static Pattern words(String... words) {
    return Pattern.compile("\\b(" + String.join("|", words) + ")\\b");
  }
}
