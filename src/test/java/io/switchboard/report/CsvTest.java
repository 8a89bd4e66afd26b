package io.switchboard.report;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CsvTest {

  @Test
  void fields_that_need_it_are_quoted_and_the_text_parses_back() {
    List<JsonObject> rows = List.of(
      new JsonObject().put("id", "a,b").put("n", 12L).put("note", "said \"hi\"\r\nthen left"),
      new JsonObject().put("id", "plain").put("n", 0.5).putNull("note"));

    String csv = Csv.write(List.of("id", "n", "note"), rows).toString();

    assertThat(csv).isEqualTo("id,n,note\r\n\"a,b\",12,\"said \"\"hi\"\"\r\nthen left\"\r\nplain,0.5,\r\n");
    assertThat(CsvParser.parse(csv)).containsExactly(
      List.of("id", "n", "note"),
      List.of("a,b", "12", "said \"hi\"\r\nthen left"),
      List.of("plain", "0.5", ""));
  }
}
