package io.switchboard.dashboard;

import io.switchboard.testkit.FakeProvider;
import io.switchboard.testkit.GatewayUnderTest;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files over HTTP on an admin port with a master key: the page, its script, its stylesheet and
 * Chart.js load without the key (a browser cannot send one when it opens a page), the data they show does not.
 */
@Timeout(60)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DashboardRoutesTest {

  private static final String MASTER_KEY = "sb-master-test-0123456789";

  private Vertx vertx;
  private FakeProvider upstream;
  private TestClient admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeProvider(vertx).start();
    Map<String, String> env = new HashMap<>(TestConfig.ENV);
    env.put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
    admin = GatewayUnderTest.start(vertx, TestConfig.singleProvider(upstream.baseUrl()), env).adminClient(vertx);
  }

  @AfterEach
  void stop() {
    admin.close();
    upstream.stop();
    vertx.close().await();
  }

  @Test
  void the_page_and_its_assets_load_without_the_key() {
    TestClient.Result bare = admin.get("/dashboard");
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.headers().get("location")).isEqualTo("/dashboard/");

    TestClient.Result page = admin.get("/dashboard/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("content-type")).startsWith("text/html");
    assertThat(page.body().toString()).contains("<title>Switchboard dashboard</title>");

    for (String asset : new String[] {"dashboard.js", "dashboard.css", "vendor/chart.js/chart.umd.min.js"}) {
      TestClient.Result result = admin.get("/dashboard/" + asset);
      assertThat(result.status()).as(asset).isEqualTo(200);
      assertThat(result.body().length()).as(asset).isPositive();
    }
    assertThat(admin.get("/dashboard/vendor/chart.js/chart.umd.min.js").headers().get("content-type"))
      .startsWith("text/javascript");
  }

  @Test
  void the_data_still_needs_the_key() {
    assertThat(admin.get("/admin/stats").status()).isEqualTo(401);
    assertThat(admin.send(HttpMethod.GET, "/admin/stats", null, Map.of("authorization", "Bearer " + MASTER_KEY))
      .status()).isEqualTo(200);
  }

  @Test
  void nothing_outside_the_page_is_served() {
    assertThat(admin.get("/dashboard/missing.js").status()).isEqualTo(401);
    assertThat(admin.get("/dashboard/../../logback.xml").status()).isIn(400, 401, 404);
  }
}
