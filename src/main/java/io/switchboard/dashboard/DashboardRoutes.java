package io.switchboard.dashboard;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code GET /dashboard}: the analytics page and its assets, from the jar. They hold no data and are mounted ahead
 * of the admin API's master-key check, because a browser cannot send a bearer token when it opens a page or loads
 * a script; everything the page shows comes from {@code /admin/...} calls that do carry the key (the page asks
 * for it once when the API answers 401 and keeps it in the tab's session storage).
 */
public final class DashboardRoutes {

  private static final String PAGE_ROOT = "io/switchboard/dashboard/web";
  private static final String CHART_JS_POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
  // read once with the class, from the same jar as the class itself
  private static final String CHART_JS_ROOT = "META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist";

  private DashboardRoutes() {
  }

  public static void mount(Router router) {
    // relative URLs in the page resolve against /dashboard/ (the route matches both, with and without the slash)
    router.get("/dashboard").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/dashboard/").end();
      }
    });
    // the library is versioned by its path; the page's own files change with every release of the gateway
    router.get("/dashboard/vendor/chart.js/*").handler(StaticHandler.create(CHART_JS_ROOT).setMaxAgeSeconds(86_400));
    router.get("/dashboard/*").handler(StaticHandler.create(PAGE_ROOT).setCachingEnabled(false));
  }

  private static String chartJsVersion() {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(CHART_JS_POM)) {
      if (in == null) {
        throw new IllegalStateException("Chart.js is missing from the classpath (" + CHART_JS_POM + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
