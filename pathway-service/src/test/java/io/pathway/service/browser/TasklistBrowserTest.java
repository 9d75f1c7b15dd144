package io.pathway.service.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathway.bpmn.PathwayModel.Tasks;
import io.pathway.model.Topics;
import io.pathway.model.codes.ImagingFinding;
import io.pathway.model.codes.PainPattern;
import io.pathway.model.codes.RedFlag;
import io.pathway.model.codes.SteroidKind;
import io.pathway.model.events.EnrolmentRequested;
import io.pathway.model.events.FollowUpRecorded;
import io.pathway.model.events.RedFlagRaised;
import io.pathway.model.events.SteroidTreatment;
import io.pathway.service.PathwayServiceTest;
import io.pathway.service.platform.CodeLabels;
import io.pathway.service.support.Browser;
import io.pathway.service.support.Hospital;
import io.pathway.service.support.JourneyTest;
import io.pathway.service.support.Tasklist;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tasklist in a real browser (Debian's Chromium), as a coordinator, a clinician and a clinical lead use it: log in,
 * open a task, read its form in words, open the Journey tab, find the highlighted step; the variance ledger page.
 * Each test leaves a screenshot (target/screenshots; docs/images with -Dpathway.screenshots=../docs/images).
 */
@PathwayServiceTest
class TasklistBrowserTest extends JourneyTest {

  private static final Logger log = LoggerFactory.getLogger(TasklistBrowserTest.class);
  private static Browser browser;

  @LocalServerPort
  int port;

  @BeforeAll
  static void chromium() {
    assumeTrue(Browser.installed(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  private Browser browser() {
    if (browser == null) {
      browser = Browser.open(port);
    }
    return browser;
  }

  private void enrol(PainPattern pattern, List<ImagingFinding> imaging) {
    Hospital.send(Topics.PATHWAY_ENROLMENTS, new EnrolmentRequested("REF-" + patient, patient,
        new SteroidTreatment(SteroidKind.EPIDURAL_STEROID_INJECTION, LocalDate.now().minusDays(35), true, true), pattern, 7, false,
        imaging, 2, List.of(), LocalDate.now().minusMonths(5)));
  }

  /** Opens the task in Tasklist and waits for its form. */
  private void openTask(Tasklist.Task task) {
    browser().go("/camunda/app/tasklist/default/#/?task=" + task.id() + "&detailsTab=task-detail-form");
    browser().waitFor(By.cssSelector("[cam-tasklist-form-camunda] .fjs-form, .fjs-container"));
  }

  /** Opens the Journey tab and waits until it has drawn its diagrams. */
  private WebElement openJourney() {
    browser().waitFor(By.xpath("//ul[contains(@class,'nav-tabs')]//a[normalize-space()='Journey']")).click();
    WebElement journey = browser().waitFor(By.cssSelector(".pathway-journey"));
    new WebDriverWait(browser().driver, Duration.ofSeconds(30)).until(d -> !"loading".equals(journey.getAttribute("data-state")));
    assertThat(journey.getAttribute("data-state")).as(journey.getText()).isEqualTo("ready");
    log.info("Journey tab drawn in {} ms (data in {} ms)", journey.getAttribute("data-load-ms"), journey.getAttribute("data-data-ms"));
    return journey;
  }

  private static List<String> codesIn(String text) {
    return Arrays.stream(text.split("[^A-Za-z0-9_]+")).filter(w -> CodeLabels.all().containsKey(w) && w.contains("_")).toList();
  }

  @Test
  void shouldShowTheClinicianTheFormInWordsAndTheJourneyWithTheCurrentStep() {
    enrol(PainPattern.AXIAL, List.of(ImagingFinding.FACET_ARTHROPATHY, ImagingFinding.DISC_DEGENERATION));
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new FollowUpRecorded(patient, "EPIDURAL_STEROID_INJECTION", 10, true, Instant.now()));
    Tasklist.Task task = tasklist.await(Tasklist.CLINICIAN, Tasks.REVIEW_FAILURE_HYPOTHESES, patient);

    browser().logIn("clinician", "clinician");
    openTask(task);

    // Pathway's Tasklist, without the vendor's migration notice
    assertThat(browser().driver.getTitle()).isEqualTo("Pathway Tasklist");
    assertThat(browser().driver.findElements(By.cssSelector(".ce-eol-banner")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
    // the form in words: the proposal and the enrolment data as labels, no contract code anywhere
    WebElement proposal = browser().waitFor(By.cssSelector("input[name='proposedHypothesesLabel'], #fjs-form-Field_proposedHypotheses, [id$='Field_proposedHypotheses']"));
    new WebDriverWait(browser().driver, Duration.ofSeconds(10)).until(d -> !proposal.getAttribute("value").isBlank());
    String form = browser().driver.findElement(By.cssSelector("[cam-tasklist-form-camunda]")).getText() + " "
        + browser().driver.findElements(By.cssSelector("[cam-tasklist-form-camunda] input, [cam-tasklist-form-camunda] textarea")).stream()
            .map(e -> e.getAttribute("value")).toList();
    assertThat(proposal.getAttribute("value")).doesNotContain("_", "[");
    assertThat(form).contains("Facet joint arthropathy", "Epidural steroid injection");
    assertThat(codesIn(form)).as("contract codes shown by the form").isEmpty();
    browser().screenshot("tasklist-form-clinician");

    WebElement journey = openJourney();
    assertThat(Browser.text(journey)).contains("Patient " + patient, "Enrolled", "Follow-up recorded",
        "Proposed by the decision table", "Waiting: Review failure hypotheses");
    // where the pathway stands: the task, with its stage's sub-process (in either order) when the model names one
    assertThat(Browser.text(journey)).containsPattern("Now: (Failure analysis; )?Review failure hypotheses(; Failure analysis)?");
    assertThat(codesIn(Browser.text(journey))).as("contract codes shown by the journey").isEmpty();
    List<WebElement> current = journey.findElements(By.cssSelector(".pathway-current"));
    assertThat(current).extracting(e -> e.getAttribute("data-element-id")).contains(Tasks.REVIEW_FAILURE_HYPOTHESES);
    assertThat(Integer.parseInt(journey.getAttribute("data-load-ms"))).isLessThan(3000);
    browser().screenshot("journey-clinician");
  }

  @Test
  void shouldShowTheCoordinatorTheRedFlagWithItsDeadlineOnTheEscalation() {
    enrol(PainPattern.RADICULAR, List.of(ImagingFinding.LARGE_DISC_HERNIATION));
    tasklist.await(Tasklist.COORDINATOR, Tasks.RECORD_FOLLOW_UP_ASSESSMENT, patient);
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.BLADDER_DYSFUNCTION, Instant.now().minusSeconds(600)));
    Tasklist.Task task = tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_EMERGENCY_TRANSFER, patient);

    browser().logIn("coordinator", "coordinator");
    openTask(task);
    WebElement flags = browser().waitFor(By.cssSelector("input[name='redFlagsLabel'], [id$='Field_redFlags']"));
    new WebDriverWait(browser().driver, Duration.ofSeconds(10)).until(d -> !flags.getAttribute("value").isBlank());
    assertThat(flags.getAttribute("value")).isEqualTo("New bladder dysfunction or retention (cauda equina)");
    browser().screenshot("tasklist-form-coordinator");

    WebElement journey = openJourney();
    assertThat(Browser.text(journey)).contains("Red flag: New bladder dysfunction or retention (cauda equina)", "Deadline",
        "Confirmed", "not yet", "Waiting: Confirm emergency transfer");
    assertThat(codesIn(Browser.text(journey))).isEmpty();
    assertThat(journey.findElements(By.cssSelector(".pathway-current"))).extracting(e -> e.getAttribute("data-element-id"))
        .contains(Tasks.CONFIRM_EMERGENCY_TRANSFER);
    browser().screenshot("journey-coordinator");
  }

  @Test
  void shouldShowTheLeadTheVarianceLedger() {
    Hospital.send(Topics.CLINICAL_OBSERVATIONS, new RedFlagRaised(patient, RedFlag.FOOT_DROP, Instant.now().minusSeconds(6 * 3600)));
    tasklist.await(Tasklist.COORDINATOR, Tasks.CONFIRM_URGENT_SURGICAL_REFERRAL, patient);

    browser().logIn("lead", "lead");
    browser().waitFor(By.cssSelector("a.pathway-ledger-link")).click();
    WebElement ledger = browser().waitFor(By.cssSelector(".pathway-ledger"));
    new WebDriverWait(browser().driver, Duration.ofSeconds(30)).until(d -> "ready".equals(ledger.getAttribute("data-state")));
    log.info("Ledger page drawn in {} ms", ledger.getAttribute("data-load-ms"));

    assertThat(Browser.text(ledger)).contains("Variance ledger, per week", "Red flag to referral (minutes)", "Deadlines missed",
        patient, "Foot drop", "Overrides of a proposal", "Omissions", "Download CSV");
    assertThat(ledger.findElements(By.cssSelector("svg.pl-chart"))).hasSizeGreaterThanOrEqualTo(3);
    assertThat(Integer.parseInt(ledger.getAttribute("data-load-ms"))).isLessThan(3000);
    browser().screenshot("ledger-lead");
    ledger.findElement(By.cssSelector("a.pl-switch")).click();
    new WebDriverWait(browser().driver, Duration.ofSeconds(30)).until(d -> "month".equals(ledger.getAttribute("data-per")));
    assertThat(Browser.text(ledger)).contains("Variance ledger, per month");
  }
}
