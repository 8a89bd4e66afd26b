package io.switchboard.testkit;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through Debian's chromedriver by Selenium, with a fresh profile, for one test.
 * Both packages are installed with apt-get when missing (the suite needs nothing installed by hand); Selenium is
 * given both paths, so it never downloads a browser or a driver of its own. A test is skipped, loudly, only when
 * the packages cannot be installed. {@link #close} quits the browser and deletes the profile.
 */
public final class Chromium implements AutoCloseable {

  private static final String DRIVER = "/usr/bin/chromedriver";
  // the real binary: /usr/bin/chromium is a shell wrapper that adds the system's flags
  private static final List<String> BROWSERS = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium");

  private final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A headless browser with a window of {@code width} × {@code height} CSS pixels. */
  public static Chromium start(int width, int height) {
    String browser = Installer.browser();
    Path profile;
    try {
      profile = Files.createTempDirectory("switchboard-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(DRIVER))
      .usingAnyFreePort()
      .build();
    return new Chromium(new ChromeDriver(service, options), profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Runs {@code script} in the page and returns what it returns (JSON-like: maps, lists, strings, numbers). */
  public Object eval(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** The console and network messages logged since the last call. */
  public List<LogEntry> logs() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** A PNG of the whole page as it is now (the window is resized to the page's height first). */
  public void screenshot(Path file) {
    // the window's height is the page's plus whatever the browser keeps for itself
    Number height = (Number) eval("window.scrollTo(0, 0);"
      + "return Math.ceil(document.body.getBoundingClientRect().height) + window.outerHeight - window.innerHeight;");
    driver.manage().window().setSize(new Dimension(driver.manage().window().getSize().getWidth(), height.intValue()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // a profile left in the temp directory is harmless
      }
    }
  }

  /** Finds Chromium and its driver, installing Debian's packages once per JVM when they are missing. */
  private static final class Installer {

    private static String browser;
    private static String failure;

    static synchronized String browser() {
      if (browser == null && failure == null) {
        browser = find().orElseGet(() -> {
          install();
          return find().orElse(null);
        });
        if (browser == null) {
          failure = "chromium and chromium-driver are not installed and apt-get could not install them";
        }
      }
      if (failure != null) {
        System.err.println("SKIPPED: browser tests need Debian's chromium and chromium-driver: " + failure);
      }
      Assumptions.assumeTrue(failure == null, () -> "browser tests need Debian's chromium and chromium-driver: "
        + failure);
      return browser;
    }

    private static Optional<String> find() {
      if (!Files.isExecutable(Path.of(DRIVER))) {
        return Optional.empty();
      }
      return BROWSERS.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }

    private static void install() {
      DebianPackages.install(() -> find().isPresent(), "chromium", "chromium-driver");
    }
  }
}
