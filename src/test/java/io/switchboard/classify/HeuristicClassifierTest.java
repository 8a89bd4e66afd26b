package io.switchboard.classify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HeuristicClassifierTest {

  private static final HeuristicClassifier CLASSIFIER = new HeuristicClassifier();

  private static Classification classify(JsonArray messages) {
    return CLASSIFIER.classify(PromptText.of(new ClassifyRequest(messages, false, 0, messages.encode().length())));
  }

  private static Classification classify(String userText) {
    return classify(new JsonArray().add(message("user", userText)));
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
    security        | Find the SQL injection vulnerability in this login form and show how an attacker could exploit it
    security        | Is this endpoint vulnerable to XSS or CSRF? Check it against the OWASP top ten
    security        | Write a threat model for our payment service and look for privilege escalation paths
    debugging       | My app crashes with a NullPointerException, here is the stack trace. Why does it fail?
    debugging       | After the upgrade the build is broken and throws an exception at startup, please debug it
    debugging       | This loop is not working and I get an error every time, fix this bug
    code-generation | Write a python function that returns the n-th Fibonacci number
    code-generation | Implement a binary search algorithm in Java
    code-generation | Generate code for a snippet that checks e-mail addresses with a regex
    translation     | Translate this paragraph into French
    translation     | Please translate the following German letter to English
    translation     | How do I say 'see you tomorrow' in Spanish? Translate it for me
    summarization   | Summarize this article in three key points
    summarization   | Give me a TL;DR of the meeting notes below
    summarization   | Condense this quarterly report into a brief overview
    conversation    | hi, how are you?
    conversation    | Hello! Nice to meet you
    conversation    | thanks a lot
    reasoning       | Solve this puzzle: how many handshakes happen when 10 people meet?
    reasoning       | Calculate the probability of rolling two sixes with two dice
    reasoning       | If 12 * 7 apples are shared by 4 friends, how many does each get? Solve it
    """)
  void clear_prompts_get_the_expected_task_type(String expected, String prompt) {
    Classification classification = classify(prompt);

    assertThat(classification.taskType().wireName()).as(prompt).isEqualTo(expected);
    assertThat(classification.tier()).isEqualTo("heuristic");
    assertThat(classification.confidence())
      .isEqualTo(classification.taskProbabilities().get(expected))
      .isGreaterThan(1.0 / TaskType.values().length);
  }

  @Test
  void task_probabilities_cover_every_task_type_and_sum_to_one() {
    for (String prompt : new String[] {"hi", "Translate this into German", "Fix this bug in my SQL query exploit"}) {
      Classification classification = classify(prompt);

      assertThat(classification.taskProbabilities()).hasSize(TaskType.values().length);
      assertThat(classification.taskProbabilities().values()).allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
      assertThat(classification.taskProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
        .as(prompt).isCloseTo(1.0, within(1e-9));
      assertThat(classification.complexityProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-9));
      assertThat(classification.pCheapOk()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void security_work_is_critical_and_needs_reasoning() {
    Classification classification = classify("Audit this code for the XSS vulnerability and any other exploit");

    assertThat(classification.taskType()).isEqualTo(TaskType.SECURITY);
    assertThat(classification.complexity()).isEqualTo(Complexity.CRITICAL);
    assertThat(classification.needsReasoning()).isTrue();
    assertThat(classification.pCheapOk()).isLessThan(0.2);
  }

  @Test
  void small_talk_is_simple_and_safe_for_a_cheap_model() {
    Classification classification = classify("hello there");

    assertThat(classification.complexity()).isEqualTo(Complexity.SIMPLE);
    assertThat(classification.involvesCode()).isFalse();
    assertThat(classification.pCheapOk()).isGreaterThan(0.8);
  }

  @Test
  void the_last_user_message_decides_the_task_type() {
    JsonArray messages = new JsonArray()
      .add(message("system", "You are a helpful assistant."))
      .add(message("user", "Find the SQL injection vulnerability and the XSS exploit in my code"))
      .add(message("assistant", "Here are the vulnerabilities I found."))
      .add(message("user", "Now translate your answer into Japanese"));

    Classification classification = classify(messages);

    assertThat(classification.taskType()).isEqualTo(TaskType.TRANSLATION);
    assertThat(classification.features().turns()).isEqualTo(3);
  }

  @Test
  void features_count_the_prompt_tokens_of_every_message() {
    Classification one = classify("hello");
    Classification more = classify(new JsonArray()
      .add(message("system", "You are a concise assistant that answers in one sentence."))
      .add(message("user", "hello")));

    assertThat(one.features().promptTokens()).isPositive();
    assertThat(more.features().promptTokens()).isGreaterThan(one.features().promptTokens() + 5);
    assertThat(one.features().longContext()).isFalse();
    assertThat(one.features().turns()).isEqualTo(1);
    assertThat(one.features().codeBlocks()).isZero();
  }

  @Test
  void a_long_prompt_is_flagged_long_context_and_complex() {
    String longText = "Please look at the following log. " + "the service answered normally again. ".repeat(6_000);

    Classification classification = classify(longText);

    assertThat(classification.features().promptTokens()).isGreaterThan(RequestFeatures.LONG_CONTEXT_TOKENS);
    assertThat(classification.features().longContext()).isTrue();
    assertThat(classification.complexity()).isEqualTo(Complexity.COMPLEX);
  }

  @Test
  void code_fences_are_counted_as_code_blocks() {
    String prompt = """
      Why does this fail?
      ```java
      String s = null;
      s.length();
      ```
      and this one too:
      ```
      int[] a = new int[1];
      a[2] = 0;
      ```
      """;

    Classification classification = classify(prompt);

    assertThat(classification.features().codeBlocks()).isEqualTo(2);
    assertThat(classification.involvesCode()).isTrue();
    assertThat(classification.taskType()).isEqualTo(TaskType.DEBUGGING);
  }

  @Test
  void fences_in_every_message_count_and_an_unclosed_one_does_not_make_a_block() {
    JsonArray messages = new JsonArray()
      .add(message("user", "```\nprint('a')\n```"))
      .add(message("assistant", "```python\nprint('b')\n```"))
      .add(message("user", "and what about ```this"));

    assertThat(classify(messages).features().codeBlocks()).isEqualTo(2);
  }

  @Test
  void content_parts_are_read_and_images_counted() {
    JsonArray parts = new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "Translate the caption of this picture into Italian"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://x/y.png")));
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", parts));

    Classification classification = classify(messages);

    assertThat(classification.taskType()).isEqualTo(TaskType.TRANSLATION);
    assertThat(classification.features().images()).isEqualTo(1);
  }

  @Test
  void tool_definitions_count_toward_the_prompt_and_mark_the_request() {
    JsonArray messages = new JsonArray().add(message("user", "What is the weather in Paris?"));
    Classification without = CLASSIFIER.classify(PromptText.of(new ClassifyRequest(messages, false, 0, 100)));
    Classification with = CLASSIFIER.classify(PromptText.of(new ClassifyRequest(messages, true, 4_000, 4_100)));

    assertThat(with.features().toolsPresent()).isTrue();
    assertThat(with.features().promptTokens()).isEqualTo(without.features().promptTokens() + 1_000);
  }

  @Test
  void a_classification_survives_its_json_form() {
    Classification classification = classify("Summarize this article in three key points");

    Classification copy = Classification.fromJson(classification.toJson());

    assertThat(copy.taskType()).isEqualTo(classification.taskType());
    assertThat(copy.complexity()).isEqualTo(classification.complexity());
    assertThat(copy.features()).isEqualTo(classification.features());
    assertThat(copy.confidence()).isCloseTo(classification.confidence(), within(1e-4));
    assertThat(copy.tier()).isEqualTo("heuristic");
  }

  @Test
  void a_long_text_without_any_cue_is_analysis_with_low_confidence() {
    String text = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor. ".repeat(400);

    Classification classification = classify(text);

    assertThat(classification.taskType()).isEqualTo(TaskType.ANALYSIS);
    assertThat(classification.confidence()).isLessThan(0.35);
  }

  @Test
  void only_the_head_and_tail_of_a_pasted_document_are_read_for_cues() {
    String filler = "Lorem ipsum dolor sit amet. ".repeat(2_000);

    assertThat(classify(filler + "Please translate the text above into French.").taskType())
      .isEqualTo(TaskType.TRANSLATION);
    assertThat(classify("Summarize this report: " + filler).taskType()).isEqualTo(TaskType.SUMMARIZATION);
    assertThat(HeuristicClassifier.bounded(filler).length())
      .isEqualTo(HeuristicClassifier.HEAD_CHARS + HeuristicClassifier.TAIL_CHARS + 1);
  }

  @Test
  void words_are_lower_cased_and_keep_inner_apostrophes_and_hyphens() {
    assertThat(HeuristicClassifier.tokens("It DOESN'T work: event-driven -- tl;dr!"))
      .containsExactly("it", "doesn't", "work", "event-driven", "tl", "dr");
  }
}
