package io.pathway.service.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the tests: Debian's Chromium, headless, driven by Debian's chromedriver through Selenium.
 * Nothing is downloaded: both executables come from the Debian packages ({@code apt-get install chromium
 * chromium-driver}, which {@code .ci/run} does when they are absent); Selenium Manager is never asked.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = System.getProperty("pathway.chromium", "/usr/bin/chromium");
  public static final String CHROMEDRIVER = System.getProperty("pathway.chromedriver", "/usr/bin/chromedriver");
  /** Where the screenshots go: target/screenshots, or docs/images for the README with {@code -Dpathway.screenshots=../docs/images}. */
  static final Path SCREENSHOTS = Path.of(System.getProperty("pathway.screenshots", "target/screenshots"));

  public final ChromeDriver driver;
  private final String base;

  private Browser(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  public static boolean installed() {
    return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
  }

  public static Browser open(int port) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1440,1200", "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), "http://localhost:" + port);
  }

  /** Logs in to Tasklist through its login page, as a person does. */
  public void logIn(String user, String password) {
    // a fresh page: the previous user's session cookie gone, and a real load (a change of the fragment alone is none)
    driver.manage().deleteAllCookies();
    driver.get("about:blank");
    driver.get(base + "/camunda/app/tasklist/default/#/login");
    // the login page may render again while the app starts (its session check), dropping what was typed:
    // type until the form holds both values, then submit; reload and start over if the app stays on the login page
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        driver.navigate().refresh();
      }
      try {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
          WebElement name = d.findElement(By.cssSelector("input[ng-model='username']"));
          WebElement secret = d.findElement(By.cssSelector("input[ng-model='password']"));
          if (!user.equals(name.getDomProperty("value"))) {
            name.clear();
            name.sendKeys(user);
          }
          if (!password.equals(secret.getDomProperty("value"))) {
            secret.clear();
            secret.sendKeys(password);
          }
          String form = d.findElement(By.cssSelector("form[name='signinForm']")).getAttribute("class");
          return java.util.Arrays.asList(form.split("\\s+")).contains("ng-valid");
        });
        driver.findElement(By.cssSelector("form[name='signinForm'] button[type='submit']")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().contains("/login"));
        return;
      } catch (RuntimeException e) {
        if (attempt == 3) {
          // the page kept redrawing (seen on a loaded 2-core machine): post the same login the form posts, from
          // the page itself, so that the session is the browser's; what the tests judge comes after the login
          keepEvidence("login-" + user);
          logInFromThePage(user, password);
          return;
        }
      }
    }
  }

  private void logInFromThePage(String user, String password) {
    driver.get(base + "/camunda/app/tasklist/default/");
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    Object status = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "const token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1] || '';"
            + "fetch('/camunda/api/admin/auth/user/default/login/tasklist', {method: 'POST', credentials: 'same-origin',"
            + " headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-XSRF-TOKEN': token},"
            + " body: 'username=' + encodeURIComponent(arguments[0]) + '&password=' + encodeURIComponent(arguments[1])})"
            + ".then(r => done(r.status)).catch(e => done(-1));", user, password);
    if (!(status instanceof Number n) || n.intValue() != 200) {
      throw new IllegalStateException("Tasklist login of " + user + " answered " + status);
    }
    driver.get(base + "/camunda/app/tasklist/default/#/");
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().contains("/login"));
  }

  /** What the browser showed when a step failed: a screenshot and the page's HTML under target/screenshots. */
  public void keepEvidence(String name) {
    try {
      Path dir = Path.of("target/screenshots");
      Files.createDirectories(dir);
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve("failed-" + name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("failed-" + name + ".html"), driver.getPageSource());
    } catch (IOException | RuntimeException e) {
      // the evidence is a courtesy: the test fails on its own assertion
    }
  }

  public void go(String pathAndFragment) {
    driver.get(base + pathAndFragment);
  }

  /** All the text of an element, also what is scrolled out of view. */
  public static String text(WebElement element) {
    return element.getDomProperty("textContent");
  }

  public WebElement waitFor(By by) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (RuntimeException e) {
      keepEvidence("waiting-for-" + by.toString().replaceAll("[^A-Za-z0-9]+", "-"));
      throw e;
    }
  }

  /** The page as a PNG under docs/images (for the README). */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
