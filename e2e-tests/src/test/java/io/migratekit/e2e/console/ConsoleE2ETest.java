package io.migratekit.e2e.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.Pipeline;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless chromium through its chromedriver, both at
 * their Debian paths: nothing is downloaded) against the standalone stack with the VMA and
 * CloudStack simulators: sign in with the API token, add VMs through the form, see a 409 as its
 * message, a VM name with markup shown as text, a replication whose bar reaches 100 %, a test
 * failover and its cleanup, the live failover's confirmation with its downtime estimate; and a
 * schedule and a group created in the Schedules view, a VM added, the schedule triggered and its
 * execution seen completed with its counts, a 7-field cron refused with the API's message.
 * Screenshots of the views go to {@code target/console-screenshots}.
 */
class ConsoleE2ETest {

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration JOB_WAIT = Duration.ofSeconds(150);
    private static final long SMALL_DISK = 256L * 1024 * 1024;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static Pipeline pipeline;
    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void stackAndBrowser() throws IOException {
        pipeline = Pipeline.get();
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
        profile = Files.createTempDirectory("migratekit-console-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorAddsReplicatesTestsAndCleansUpAVmInTheBrowser() {
        // given: two VMs in vCenter, one whose name is markup
        SimVm vm = pipeline.stack.simulator().inventory().add(
                SimVm.builder("console-" + SEQUENCE.incrementAndGet()).folder("e2e-console").disk(SMALL_DISK).disk(SMALL_DISK));
        SimVm markup = pipeline.stack.simulator().inventory().add(SimVm.builder(
                "<img src=x onerror=window.xssRan=1>-" + SEQUENCE.incrementAndGet()).folder("e2e-console").disk(SMALL_DISK));

        // when: the operator opens the console and signs in with the API token
        browser.get(pipeline.stack.consoleUrl());
        visible(By.id("token")).sendKeys(pipeline.stack.apiToken());
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        // then: the estate, signed in as the operator, live
        visible(By.id("estate"));
        waitFor(ExpectedConditions.textToBe(By.id("who"), "operator (operator)"));
        waitFor(ExpectedConditions.textToBe(By.id("live"), "live"));

        // when: both VMs are added to management through the form
        addToManagement(vm);
        waitFor(ExpectedConditions.textToBe(By.id("notice"), vm.name() + ": VM added to management successfully"));
        addToManagement(markup);
        waitFor(ExpectedConditions.textToBe(By.id("notice"), markup.name() + ": VM added to management successfully"));
        // and: the first one once more
        addToManagement(vm);
        // then: the 409 is shown with the API's own message
        waitFor(ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(
                "^409 VM already exists in management: .+")));

        // and: the markup VM is listed under its name as text: no element made of it, no script run
        filterEstate("onerror");
        WebElement markupLink = visible(By.linkText(markup.name()));
        assertThat(markupLink.getText()).isEqualTo(markup.name());
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.xssRan === undefined")).isEqualTo(true);
        markupLink.click();
        waitFor(ExpectedConditions.textToBe(By.id("vm-name"), markup.name()));
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();

        // when: the other VM is opened and replicated now (auto: its initial copy)
        browser.get(pipeline.stack.consoleUrl() + "#/vm/" + vm.name());
        waitFor(ExpectedConditions.textToBe(By.id("vm-name"), vm.name()));
        click(By.id("replicate-now"));
        // then: its job's bar moves live and reaches 100 %, the job completes and the VM is ready for failover
        waitFor(JOB_WAIT, ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(
                "^Job \\S+ started \\(initial\\)$")));
        String jobId = browser.findElement(By.id("notice")).getText().split(" ")[1];
        waitFor(JOB_WAIT, ExpectedConditions.attributeToBe(
                By.cssSelector("#job-history .bar[data-job='" + jobId + "']"), "data-percent", "100"));
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#job-history tr[data-job='" + jobId + "'] .status"), "completed"));
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#vm-facts .status"), "ready_for_failover"));
        screenshot("vm-replicated");

        // when: a test failover is run
        click(By.id("test-failover"));
        waitFor(JOB_WAIT, ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(
                "^test failover \\S+: .+ accepted.*")));
        // then: it completes with its steps and the VM is failed over for test
        waitFor(JOB_WAIT, ExpectedConditions.textToBe(
                By.cssSelector("#failovers .failover:first-child p .status"), "completed"));
        List<String> steps = List.of("validation", "source_power_off", "final_sync", "target_vm", "status_update");
        waitFor(driver -> driver.findElements(By.cssSelector("#failovers .failover:first-child tbody tr td:first-child"))
                .stream().map(WebElement::getText).toList().equals(steps));
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#vm-facts .status"), "failed_over_test"));
        screenshot("vm-test-failover");

        // when: it is cleaned up
        click(By.id("cleanup"));
        // then: the failover is cleaned up and the VM ready for failover again
        waitFor(JOB_WAIT, ExpectedConditions.textToBe(
                By.cssSelector("#failovers .failover:first-child p .status"), "cleaned_up"));
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#vm-facts .status"), "ready_for_failover"));

        // when: a live failover is asked for
        click(By.id("live-failover"));
        // then: the confirmation names the VM and shows the estimated downtime; cancelled, nothing is requested
        visible(By.cssSelector("dialog#confirm[open]"));
        assertThat(browser.findElement(By.id("confirm-title")).getText()).isEqualTo("Live failover of " + vm.name());
        assertThat(browser.findElement(By.id("downtime-total")).getText())
                .matches("Estimated downtime: \\d+ (min \\d+ )?s plus the final sync \\(no incremental sync of this VM yet\\)");
        screenshot("live-failover-confirmation");
        browser.findElement(By.cssSelector("#confirm button[value='cancel']")).click();
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#confirm[open]")));
        assertThat(browser.findElements(By.cssSelector("#failovers .failover"))).hasSize(1);

        // and: the estate shows the VM's last successful sync
        browser.get(pipeline.stack.consoleUrl() + "#/");
        filterEstate("console-");
        String row = "//tr[td/a[text()='" + vm.name() + "']]";
        waitFor(ExpectedConditions.textMatches(By.xpath(row + "/td[@class='last-sync']/div"),
                java.util.regex.Pattern.compile("^initial · .+ · 512\\.0 MiB$")));
        waitFor(ExpectedConditions.textToBe(By.xpath(row + "//span[contains(@class, 'status')]"), "ready_for_failover"));
        filterEstate("");
        visible(By.linkText(markup.name()));
        browser.findElement(By.cssSelector("#add-vm summary")).click();
        screenshot("estate");
    }

    @Test
    void anOperatorSchedulesAGroupTriggersItAndSeesTheExecutionInTheBrowser() {
        // given: a VM in vCenter, added to management through the console
        SimVm vm = pipeline.stack.simulator().inventory().add(
                SimVm.builder("console-sched-" + SEQUENCE.incrementAndGet()).folder("e2e-console").disk(SMALL_DISK));
        signIn();
        try {
            schedulesThroughTheConsole(vm);
        } finally {
            signOut();
        }
    }

    private static void schedulesThroughTheConsole(SimVm vm) {
        addToManagement(vm);
        waitFor(ExpectedConditions.textToBe(By.id("notice"), vm.name() + ": VM added to management successfully"));
        browser.get(pipeline.stack.consoleUrl() + "#/schedules");
        visible(By.id("schedules"));

        // when: a schedule with a cron of 7 fields is submitted
        createSchedule(vm.name() + "-bad", "0 0 0 1 1 * 2030", "UTC", "1");
        // then: the API's 400 is shown with its message naming the field, and no schedule is listed
        waitFor(ExpectedConditions.textToBe(By.id("notice"), "400 Invalid request payload: cron_expression has 7 "
                + "fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)"));
        assertThat(browser.findElements(By.cssSelector("#schedule-rows tr[data-name='" + vm.name() + "-bad']"))).isEmpty();

        // when: a valid schedule (not firing during the test), a group on it and the VM in the group are created
        String schedule = vm.name() + "-nightly";
        createSchedule(schedule, "0 0 1 1 *", "Europe/Berlin", "2");
        String scheduleRow = "#schedule-rows tr[data-name='" + schedule + "']";
        waitFor(ExpectedConditions.textToBe(By.cssSelector(scheduleRow + " .cron"), "0 0 1 1 *"));
        assertThat(browser.findElement(By.cssSelector(scheduleRow + " .enabled")).getText()).isEqualTo("enabled");
        String group = vm.name() + "-group";
        openDetails("new-group");
        type("#group-form input[name='name']", group);
        visible(By.xpath("//select[@id='group-schedule']/option[text()='" + schedule + "']")).click();
        type("#group-form input[name='max_concurrent_vms']", "1");
        type("#group-form input[name='priority']", "10");
        browser.findElement(By.cssSelector("#group-form button[type='submit']")).click();
        String groupRow = "#group-rows tr[data-name='" + group + "']";
        waitFor(ExpectedConditions.textToBe(By.cssSelector(groupRow + " .schedule"), schedule));
        assertThat(browser.findElement(By.cssSelector(groupRow + " .members")).getText()).isEqualTo("0");
        openDetails("add-member");
        visible(By.xpath("//select[@id='member-group']/option[text()='" + group + "']")).click();
        visible(By.xpath("//select[@id='member-context']/option[starts-with(text(), '" + vm.name() + " (')]")).click();
        browser.findElement(By.cssSelector("#member-form button[type='submit']")).click();
        // then: the group lists its one member
        waitFor(ExpectedConditions.textToBe(By.cssSelector(groupRow + " .members"), "1"));

        // when: the schedule is triggered now
        click(By.cssSelector(scheduleRow + " button.trigger"));
        // then: its execution is shown and followed until it ends completed, with the exact counts
        waitFor(ExpectedConditions.textMatches(By.id("notice"), java.util.regex.Pattern.compile(
                "^Schedule " + java.util.regex.Pattern.quote(schedule) + " triggered: execution exec-manual-\\S+$")));
        String executionId = browser.findElement(By.id("notice")).getText().replaceFirst("^.* execution ", "");
        String executionRow = "#execution-rows tr[data-execution='" + executionId + "']";
        waitFor(JOB_WAIT, ExpectedConditions.textToBe(By.cssSelector(executionRow + " .exec-status .status"), "completed"));
        assertThat(browser.findElements(By.cssSelector("#execution-rows tr"))).hasSize(1);
        assertThat(List.of("eligible", "created", "completed", "failed", "skipped").stream()
                .map(cell -> browser.findElement(By.cssSelector(executionRow + " .count-" + cell)).getText()).toList())
                .containsExactly("1", "1", "1", "0", "0");
        screenshot("schedules");
    }

    /** Signs in afresh (whichever test ran before in this browser); {@link #signOut} leaves it signed out again. */
    private static void signIn() {
        browser.get(pipeline.stack.consoleUrl());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        visible(By.id("token")).sendKeys(pipeline.stack.apiToken());
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        visible(By.id("estate"));
    }

    private static void signOut() {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    private static void createSchedule(String name, String cron, String timezone, String maxJobs) {
        openDetails("new-schedule");
        type("#schedule-form input[name='name']", name);
        type("#schedule-form input[name='cron_expression']", cron);
        type("#schedule-form input[name='timezone']", timezone);
        type("#schedule-form input[name='max_concurrent_jobs']", maxJobs);
        browser.findElement(By.cssSelector("#schedule-form button[type='submit']")).click();
    }

    private static void openDetails(String id) {
        WebElement details = browser.findElement(By.id(id));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
    }

    private static void type(String css, String text) {
        WebElement input = visible(By.cssSelector(css));
        input.clear();
        input.sendKeys(text);
    }

    private static void addToManagement(SimVm vm) {
        WebElement details = browser.findElement(By.id("add-vm"));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
        List<String[]> fields = List.of(new String[] {"id", vm.id()}, new String[] {"name", vm.name()},
                new String[] {"path", vm.path()}, new String[] {"datacenter", vm.datacenter()},
                new String[] {"vcenter_host", "vcenter.e2e.local"});
        for (String[] field : fields) {
            WebElement input = visible(By.cssSelector("#add-vm-form input[name='" + field[0] + "']"));
            input.clear();
            input.sendKeys(field[1]);
        }
        browser.findElement(By.cssSelector("#add-vm-form button[type='submit']")).click();
        waitFor(ExpectedConditions.not(ExpectedConditions.textMatches(By.id("notice"),
                java.util.regex.Pattern.compile("^Adding .*"))));
    }

    private static void filterEstate(String text) {
        WebElement filter = visible(By.id("filter-name"));
        filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        filter.sendKeys(text);
        waitFor(driver -> driver.findElements(By.cssSelector("#estate-rows a.vm-link")).stream()
                .allMatch(link -> link.getText().contains(text)));
    }

    private static void click(By by) {
        waitFor(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static WebElement visible(By by) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return waitFor(WAIT, condition);
    }

    /** Waits for the condition; an element the page re-rendered meanwhile is looked up again. */
    private static <T> T waitFor(Duration wait, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, wait).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
