package io.latentkit.web.testkit;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright for Java: no browser download (the machine has no network
 * beyond the package registries), the flags that keep Chromium from reaching out, and a fresh
 * profile per launch (Playwright makes a new user-data-dir for every browser it launches).
 */
public final class Browsers {
    public static final Path CHROMIUM = Paths.get(System.getProperty("latentkit.chromium", "/usr/bin/chromium"));

    private Browsers() {
    }

    public static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    public static Browser chromium(Playwright pw) {
        return pw.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    /** Where test artefacts (screenshots) go: the module's target folder. */
    public static Path artefact(String name) {
        return Paths.get("target", "console-artefacts", name);
    }
}
