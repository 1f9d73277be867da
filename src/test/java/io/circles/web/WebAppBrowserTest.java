package io.circles.web;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import io.circles.circle.CircleKeys;
import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.circles.ws.Lifecycle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;

/**
 * The web app in a real browser (Debian's chromium, headless, driven by chromium-driver): the journey from
 * {@code /?circle=<pk>} to a result with a key made in the page, then with an injected EIP-1193 wallet that
 * really signs, error positions, reconnection after 1001, the 400/404/503 refusal reasons and a 390 px screen.
 * Without the browser the test is skipped locally but fails in CI (CI=true), so it never silently goes missing.
 */
@QuarkusTest
@TestProfile(WebAppProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserTest {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    /** Generous: the first play of a fresh app on a loaded 2-core CI machine can take long; a pass never waits for it. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SHOTS = Path.of("target", "webapp-screenshots");

    private static WebDriver driver;

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections connections;

    @Inject
    Lifecycle lifecycle;

    private int clicks;

    @BeforeAll
    static void startBrowser() {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String missing = "chromium and chromium-driver are needed at " + CHROMIUM + " and " + CHROMEDRIVER;
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + " (CI installs them: apt-get install chromium chromium-driver)");
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void a_new_user_gets_a_result_in_three_clicks_with_a_key_made_in_the_page() {
        driver.get(base + "?circle=" + TestCircles.CIRCLE_A);
        click("Generate key");
        click("Connect");
        awaitStatus("authenticated");
        click("Run");
        assertEquals("42", awaitNewResult(0).findElement(By.className("value")).getText());
        assertEquals(3, clicks, "clicks from the page to a result");
        assertTrue(newestResult().findElement(By.className("logs")).getText().startsWith("hello from "));
        screenshot("1-first-result");
    }

    @Test
    @Order(2)
    void ctrl_enter_runs_the_editor_text_and_a_syntax_error_points_into_the_editor() {
        runWithKeyboard("40 + 2");
        assertEquals("42", newestResult().findElement(By.className("value")).getText());
        runWithKeyboard("db_set(\"seen_live\", 1)");
        await().atMost(WAIT).until(() -> driver.findElement(By.id("live")).getText(), containsString("store set seen_live"));

        runWithKeyboard("let a = 1;" + Keys.ENTER + "let x = ;");
        WebElement error = newestResult();
        assertTrue(error.getAttribute("class").contains("error"));
        WebElement position = error.findElement(By.className("position"));
        assertEquals("line 2, column 9", position.getText());
        position.click();
        assertEquals(List.of(2L, 9L), js("""
                const sel = window.getSelection();
                const line = (sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement).closest('.cm-line');
                const lines = Array.from(document.querySelectorAll('.cm-content .cm-line'));
                const before = document.createRange();
                before.setStart(line, 0);
                before.setEnd(sel.anchorNode, sel.anchorOffset);
                return [lines.indexOf(line) + 1, before.toString().length + 1];"""));
        screenshot("2-error-position");
    }

    @Test
    @Order(3)
    void a_wallet_signs_in_and_its_key_is_the_caller() {
        KeyPair wallet = KeyPair.generate();
        driver.get(base + "?circle=" + TestCircles.CIRCLE_A);
        js("""
                const priv = arguments[0];
                const address = window.Circles.addressOf(window.Circles.publicKeyOf(priv));
                const text = hex => new TextDecoder().decode(new Uint8Array(hex.slice(2).match(/../g).map(b => parseInt(b, 16))));
                window.walletCalls = [];
                window.ethereum = { request: async ({ method, params }) => {
                  window.walletCalls.push(method);
                  if (method === 'eth_requestAccounts') return [address];
                  if (method === 'personal_sign' && params[1] === address) return window.Circles.signPersonal(priv, text(params[0]));
                  throw new Error('unsupported ' + method);
                } };""", wallet.privateKeyHex().replaceFirst("^0x", ""));
        click("Use wallet");
        String expected = CircleKeys.canonicalOrNull(wallet.publicKeyCompressed());
        await().atMost(WAIT).until(() -> driver.findElement(By.id("my-key")).getText() + " / " + status(), startsWith(expected + " / "));
        click("Connect");
        awaitStatus("authenticated");
        runWithKeyboard("CALLER_ID");
        assertEquals(expected, newestResult().findElement(By.className("value")).getText());
        assertEquals(List.of("eth_requestAccounts", "personal_sign", "personal_sign"), js("return window.walletCalls;"));
        screenshot("3-wallet");
    }

    @Test
    @Order(4)
    void the_journey_logs_no_console_errors() {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertEquals(List.of(), errors);
    }

    @Test
    @Order(5)
    void at_390_pixels_wide_nothing_overflows() {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            await().atMost(WAIT).until(() -> ((Number) js("return window.innerWidth;")).intValue() <= 400);
            assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth;"));
            screenshot("5-narrow");
        } finally {
            driver.manage().window().setSize(new Dimension(1200, 1600));
        }
    }

    @Test
    @Order(6)
    void the_page_signs_in_again_after_the_server_closes_with_1001() {
        js("""
                window.statusLog = [];
                new MutationObserver(() => window.statusLog.push(document.getElementById('status').textContent))
                  .observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });""");
        connections.listAll().forEach(c -> c.close(new CloseReason(1001, "going away")).await().atMost(WAIT));
        await().atMost(WAIT).until(() -> String.valueOf(js("return window.statusLog.join('|');")), containsString("reconnecting"));
        awaitStatus("authenticated");
        runWithKeyboard("1 + 1");
        assertEquals("2", newestResult().findElement(By.className("value")).getText());
    }

    @Test
    @Order(7)
    void a_circle_with_a_member_list_shows_its_data_to_members_only() {
        driver.get(base + "?circle=" + TestCircles.CIRCLE_B);
        click("Generate key");
        click("Connect");
        awaitStatus("authenticated");
        await().atMost(WAIT).until(() -> driver.findElement(By.id("store")).getText(), containsString("Forbidden"));
        assertTrue(driver.findElement(By.id("events")).getText().contains("Forbidden"));
        try (WsClient member = WsClient.connect(base, TestCircles.CIRCLE_B)) {
            assertTrue(member.authenticate(WebAppProfile.MEMBER).has("result"));
            assertTrue(member.result("store_keys", Map.of()).get("keys").isArray());
        }
        try (WsClient stranger = WsClient.connect(base, TestCircles.CIRCLE_B)) {
            assertTrue(stranger.authenticate(KeyPair.generate()).has("result"));
            for (String method : List.of("store_keys", "event_log")) {
                assertEquals(-32004, stranger.call(method, Map.of()).get("error").get("code").asInt());
            }
            assertEquals(-32004, stranger.call("store_get", Map.of("key", "k")).get("error").get("code").asInt());
        }
    }

    @Test
    @Order(8)
    void refused_connections_say_why() {
        driver.get(base + "?circle=not-a-key");
        click("Generate key");
        click("Connect");
        awaitStatus("not a secp256k1 public key");
        driver.get(base + "?circle=" + KeyPair.generate().publicKeyCompressed());
        click("Generate key");
        click("Connect");
        awaitStatus("does not serve that circle");
        screenshot("7-refused");
    }

    @Test
    @Order(9)
    void an_imported_key_signs_in_and_a_server_shutting_down_is_reported_as_such() {
        KeyPair imported = KeyPair.generate();
        driver.get(base + "?circle=" + TestCircles.CIRCLE_A);
        click("Import key");
        driver.findElement(By.id("import-key")).sendKeys(imported.privateKeyHex());
        click("Use this key");
        assertEquals(CircleKeys.canonicalOrNull(imported.publicKeyCompressed()), driver.findElement(By.id("my-key")).getText());
        click("Connect");
        awaitStatus("authenticated");
        lifecycle.beginShutdown();
        awaitStatus("shutting down");
        assertTrue(status().contains("503"), status());
    }

    private void click(String buttonName) {
        driver.findElement(By.xpath("//button[normalize-space()='" + buttonName + "']")).click();
        clicks++;
    }

    private void runWithKeyboard(String script) {
        int before = results().size();
        WebElement editor = driver.findElement(By.cssSelector("#editor .cm-content"));
        editor.click();
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys(script);
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        awaitNewResult(before);
    }

    private WebElement awaitNewResult(int before) {
        await().atMost(WAIT).until(() -> results().size() > before);
        return newestResult();
    }

    private List<WebElement> results() {
        return driver.findElements(By.cssSelector("#output > li"));
    }

    private WebElement newestResult() {
        return results().get(0);
    }

    private String status() {
        return driver.findElement(By.id("status")).getText();
    }

    private void awaitStatus(String part) {
        await().atMost(WAIT).until(this::status, containsString(part));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
