// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.auth.Role;
import dev.arbiter.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's Chromium (Selenium, Debian's chromedriver) holding a
 * client certificate per role. Checks content on every page, that an auditor sees no actions and is
 * refused when forging one, that the CSRF checks hold from the browser, that a browser without a
 * certificate is refused, and that an operator completes a rollout with reason and confirmation.
 * Screenshots go to {@code target/screenshots/}. Skipped with a message when Chromium is missing,
 * failing instead when {@code CI} is set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String WORKLOAD = "console-browser";
  private static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir static Path temp;

  private static TestServer server;
  private static Chromium policy;
  private static ChromeDriver auditor;
  private static ChromeDriver operator;

  @BeforeAll
  static void start() throws IOException {
    List<String> missing = Chromium.missing();
    if (!missing.isEmpty()) {
      String message =
          "console browser tests need "
              + String.join(", ", missing)
              + " (apt-get install chromium chromium-driver libnss3-tools; .ci/install-tools.sh)";
      if (System.getenv("CI") != null) {
        throw new AssertionError(message);
      }
      Assumptions.abort(message);
    }
    Files.createDirectories(SHOTS);
    server = TestServer.shared();
    ConsoleFixture.workloadWithRollout(server, WORKLOAD);
    for (String instance : List.of("b-1", "b-2", "b-3")) {
      ConsoleFixture.ok(ConsoleFixture.attest(server, WORKLOAD, instance, ConsoleFixture.M1));
    }
    ConsoleFixture.attest(server, WORKLOAD, "b-bad", "33".repeat(48));
    String origin = "https://127.0.0.1:" + server.server().port();
    policy = Chromium.forOrigin(origin);
    Path ca = server.dataDir().resolve("ca.pem");
    LocalCa.Issued issued =
        LocalCa.load(new DataDir(server.dataDir()), Clock.systemUTC())
            .issueClient("browser-auditor", Role.AUDITOR, server.server().services().roles());
    auditor =
        Chromium.start(
            Chromium.home(
                Files.createDirectories(temp.resolve("auditor")),
                ca,
                Optional.of(new Path[] {issued.certificate(), issued.key()})),
            1280,
            1000);
    operator =
        Chromium.start(
            Chromium.home(
                Files.createDirectories(temp.resolve("operator")),
                ca,
                Optional.of(
                    new Path[] {
                      server.dataDir().resolve("clients/operator.pem"),
                      server.dataDir().resolve("clients/operator-key.pem")
                    })),
            1280,
            1000);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      for (WebDriver driver : new WebDriver[] {auditor, operator}) {
        if (driver != null) {
          driver.quit();
        }
      }
    } finally {
      if (policy != null) {
        policy.close();
      }
    }
  }

  @Test
  @Order(1)
  void withoutCertificate_uiIsRefused401() throws IOException {
    Path home =
        Chromium.home(
            Files.createDirectories(temp.resolve("anonymous")),
            server.dataDir().resolve("ca.pem"),
            Optional.empty());
    ChromeDriver anonymous = Chromium.start(home, 1280, 800);
    try {
      anonymous.get(url("/ui/"));
      assertThat(anonymous.getPageSource()).contains("unauthenticated");
      Object status =
          anonymous.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + " fetch('/ui/').then(r => done(r.status), e => done(String(e)));");
      assertThat(status).isEqualTo(401L);
      shot(anonymous, "anonymous-401");
    } finally {
      anonymous.quit();
    }
  }

  @Test
  @Order(2)
  void auditor_seesEveryPage_withoutActions() {
    auditor.get(url("/ui/"));
    assertThat(auditor.getTitle()).startsWith("Overview");
    assertThat(text(auditor, "main")).contains(WORKLOAD, "Versions", "Rollout", "STAGED");
    assertThat(text(auditor, ".who")).contains("browser-auditor", "auditor");
    // the charts are drawn by uPlot from the page's data (served by Arbiter, allowed by the CSP)
    waitFor(auditor, d -> !d.findElements(By.cssSelector(".plot .uplot canvas")).isEmpty());
    shot(auditor, "auditor-overview");
    assertThat(Chromium.cspViolations(auditor)).as("CSP violations on the overview").isEmpty();

    auditor.findElement(By.linkText(WORKLOAD)).click();
    assertThat(text(auditor, "main"))
        .contains("Policy revisions", "initial deployment", "release 2.0 for the console test")
        .contains("Reference values", "Revision #2 → #3", "accepted 2.0");
    shot(auditor, "auditor-workload");

    auditor.get(url("/ui/workloads/" + WORKLOAD + "/rollout"));
    assertThat(text(auditor, "#live")).contains("Rollout #", "STAGED", "Fleet share per version");
    assertThat(auditor.findElements(By.cssSelector("form[method='post']"))).isEmpty();
    assertThat(auditor.findElements(By.tagName("button"))).isEmpty();
    assertThat(text(auditor, "main")).contains("may watch this rollout but not change it");
    shot(auditor, "auditor-rollout");

    auditor.get(url("/ui/decisions"));
    auditor.findElement(By.id("q-workload")).sendKeys(WORKLOAD);
    auditor.findElement(By.id("q-instance")).sendKeys("b-2");
    auditor.findElement(By.cssSelector("form.search button[type='submit']")).click();
    waitFor(auditor, d -> d.getCurrentUrl().contains("instance=b-2"));
    assertThat(text(auditor, "#decisions")).contains("b-2", "affirming").doesNotContain("b-1");
    auditor.get(url("/ui/decisions?workload=" + WORKLOAD + "&verdict=refused"));
    assertThat(text(auditor, "#decisions")).contains("b-bad", "refused");
    shot(auditor, "auditor-decisions");

    auditor.get(url("/ui/audit"));
    waitFor(auditor, d -> !d.findElements(By.id("chain-status")).isEmpty());
    assertThat(text(auditor, "#chain-status")).isEqualTo("Intact");
    assertThat(text(auditor, "#audit-records")).contains("rollout");
    shot(auditor, "auditor-audit");
    assertThat(Chromium.cspViolations(auditor)).as("CSP violations on any page").isEmpty();
  }

  @Test
  @Order(3)
  void auditor_forgingARolloutAction_isRefused403() {
    auditor.get(url("/ui/workloads/" + WORKLOAD + "/rollout"));
    Object status = post(auditor, "abort", "reason=forged&confirm=yes");
    assertThat(status).isEqualTo(403L);
    assertThat(state()).isEqualTo("STAGED");
  }

  @Test
  @Order(4)
  void operator_postWithoutOrWithAWrongCsrfToken_isRefused() {
    operator.get(url("/ui/workloads/" + WORKLOAD + "/rollout"));
    String token = operator.findElement(By.cssSelector("input[name='csrf']")).getAttribute("value");
    assertThat(post(operator, "abort", "reason=forged&confirm=yes")).isEqualTo(403L);
    assertThat(post(operator, "abort", "csrf=x" + token + "&reason=forged&confirm=yes"))
        .isEqualTo(403L);
    assertThat(state()).isEqualTo("STAGED");
  }

  @Test
  @Order(5)
  void operator_watchesTheRolloutLive_andCompletesIt() {
    operator.get(url("/ui/workloads/" + WORKLOAD + "/rollout"));
    assertThat(operator.findElement(By.id("live")).getAttribute("hx-trigger")).startsWith("every");
    // a new instance of 2.0 attests: the polled fragment shows it without a reload
    ConsoleFixture.ok(ConsoleFixture.attest(server, WORKLOAD, "b-new", ConsoleFixture.M2));
    // htmx swaps #live while it is read: a stale element is retried, not a failure
    new WebDriverWait(operator, Duration.ofSeconds(30))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> text(d, "#live").contains("2.0") && text(d, "#rollout-state").equals("ROLLING"));
    shot(operator, "operator-rollout-live");
    assertThat(Chromium.cspViolations(operator)).as("CSP violations while polling").isEmpty();

    // keyboard: the reason, the confirmation and the button are reachable and labelled
    WebElement reason = operator.findElement(By.id("complete-reason"));
    assertThat(operator.findElement(By.cssSelector("label[for='complete-reason']")).getText())
        .contains("Reason");
    operator.findElement(By.id("complete-button")).click();
    assertThat(state()).as("the required fields stop an empty submission").isEqualTo("ROLLING");
    reason.sendKeys("fleet on 2.0, checked in the console");
    operator.findElement(By.id("complete-confirm")).click();
    operator.findElement(By.id("complete-button")).click();
    waitFor(operator, d -> d.getCurrentUrl().contains("done=complete"));
    assertThat(text(operator, ".notice")).contains("The rollout was completed.");
    assertThat(text(operator, "#rollout-state")).isEqualTo("COMPLETED");
    assertThat(operator.findElements(By.cssSelector("form[method='post']"))).isEmpty();
    assertThat(state()).isEqualTo("COMPLETED");
    shot(operator, "operator-rollout-completed");

    // the action went through the audited service call
    operator.get(url("/ui/audit?target=" + WORKLOAD));
    waitFor(operator, d -> !d.findElements(By.id("chain-status")).isEmpty());
    assertThat(text(operator, "#audit-records")).contains("fleet on 2.0, checked in the console");
    assertThat(text(operator, "#chain-status")).isEqualTo("Intact");
  }

  @Test
  @Order(6)
  void pages_fitAPhoneWidth() {
    operator.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    try {
      operator.get(url("/ui/"));
      Object overflow =
          operator.executeScript(
              "return document.documentElement.scrollWidth > window.innerWidth + 1;");
      assertThat(overflow)
          .as("no horizontal scrolling of the page at phone width")
          .isEqualTo(false);
      shot(operator, "operator-overview-phone");
      operator.get(url("/ui/workloads/" + WORKLOAD));
      shot(operator, "operator-workload-phone");
      assertThat(Chromium.cspViolations(operator)).isEmpty();
      // control: the policy really blocks inline styles, and the check above would see it
      operator.executeScript(
          "document.body.insertAdjacentHTML('beforeend', '<p style=\\'color: red\\'>x</p>');");
      waitFor(operator, d -> !Chromium.cspViolations((ChromeDriver) d).isEmpty());
    } finally {
      operator.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    }
  }

  private static Object post(ChromeDriver driver, String action, String form) {
    return driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " fetch(arguments[0], {method: 'POST', headers: {'Content-Type':"
            + " 'application/x-www-form-urlencoded'}, body: arguments[1], redirect: 'manual'})"
            + ".then(r => done(r.status), e => done(String(e)));",
        "/ui/workloads/" + WORKLOAD + "/rollout/" + action,
        form);
  }

  private static String state() {
    return server
        .operator()
        .get("/v1/workloads/" + WORKLOAD + "/rollouts/current")
        .json()
        .path("rollout")
        .path("state")
        .asText();
  }

  private static String url(String path) {
    return server.uri().resolve(path).toString();
  }

  private static String text(WebDriver driver, String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private static void waitFor(
      WebDriver driver, java.util.function.Function<WebDriver, Boolean> condition) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(20))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(condition::apply);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "timed out at " + driver.getCurrentUrl() + " showing: " + text(driver, "body"), e);
    }
  }

  private static void shot(ChromeDriver driver, String name) {
    try {
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
