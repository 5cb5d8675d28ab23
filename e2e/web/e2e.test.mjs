// Browser end-to-end test of the web interface: the real `podcastfy serve`
// binary (with the built frontend embedded) on a free loopback port, driven
// through Debian's Chromium by playwright-core. It makes the first account
// (GET/POST /setup), logs out and in again, makes a podcast from text with the offline (extractive) writer
// and real espeak-ng, watches the progress page until it is done, opens the
// player, checks the transcript and seeks by clicking a line. Screenshots
// go to test-artifacts/web/ at the repository root.
//
// harness.mjs says how the binary and the browser are found.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, shot, startServer, stopServer } from "./harness.mjs";

const username = "alice";
const password = "secret-pass-1";
const source = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons.
The speed of the water decides how much sediment it can carry. Fast rivers move boulders, while slow rivers drop fine silt.
Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are some of the most fertile land on Earth.
Floods, though destructive, renew the soil of river plains. Ancient civilisations grew along rivers for this reason, from the Nile to the Indus.`;

let home, env, server, base, browser;

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-e2e-"));
  env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" };
  server = startServer(env);
  base = await server.url;
  // A new installation has no account: the browser makes the first one.
  const setup = await fetch(`${base}/setup`);
  assert.equal(setup.status, 200, "GET /setup");
  assert.deepEqual(await setup.json(), { needed: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  if (home) rmSync(home, { recursive: true, force: true });
});

test("the web interface end to end", { timeout: 240_000 }, async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
  const page = await context.newPage();
  const consoleErrors = [];
  // Failed requests show in the page (the wrong password answers 401);
  // other console errors and uncaught exceptions fail the test.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && consoleErrors.push(m.text()));
  page.on("response", (r) => r.status() >= 500 && consoleErrors.push(`${r.status()} ${r.url()}`));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  await t.test("first run, then login", async () => {
    await page.goto(base + "/");
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.locator("#password-error").filter({ hasText: "at least 8 characters" }).waitFor();
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Repeat the password").fill(password);
    await shot(page, "01-first-run");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    const after = await (await fetch(`${base}/setup`)).json();
    assert.deepEqual(after, { needed: false });
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: "wrong username or password" }).waitFor();
    await shot(page, "02-login-error");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await page.getByText("No podcasts yet").waitFor();
    // The first account is an administrator: the browser offers it the
    // server's Settings; LAN sharing is the desktop's alone.
    assert.ok((await page.getByRole("link", { name: "Settings" }).count()) > 0, "an administrator is offered Settings");
    assert.equal(await page.getByRole("link", { name: "LAN sharing" }).count(), 0);
  });

  await t.test("make a podcast and watch its progress", async () => {
    await page.getByRole("link", { name: "New podcast" }).first().click();
    await page.getByRole("heading", { name: "New podcast" }).waitFor();
    await page.getByLabel("Text").fill(source);
    await page.getByLabel("Title").fill("Rivers");
    await page.getByLabel("Template").selectOption("deep-dive");
    await page.getByLabel("Length (minutes)").fill("1");
    await page.getByLabel("Script writer").selectOption("extractive");
    await page.getByLabel("Voices", { exact: true }).selectOption("espeak");
    // The run plan is the server's answer (POST /podcasts/plan), shown once the form settles.
    await page.getByTestId("plan").filter({ hasText: /extractive writing, espeak speaking/ }).waitFor();
    await shot(page, "03-new-podcast");
    await page.getByRole("button", { name: "Make the podcast" }).click();
    await page.waitForURL(/#\/jobs\//);
    await page.getByRole("progressbar", { name: "Progress" }).waitFor();
    await page.getByTestId("segments").waitFor({ timeout: 60_000 });
    await shot(page, "04-progress");
    await page.getByRole("link", { name: "Open the player" }).waitFor({ timeout: 180_000 });
    assert.equal(await page.getByRole("progressbar", { name: "Progress" }).getAttribute("aria-valuenow"), "100");
    await shot(page, "05-done");
  });

  await t.test("the library lists it", async () => {
    await page.getByRole("link", { name: "Library", exact: true }).click();
    const item = page.getByRole("list", { name: "Podcasts" }).getByRole("link", { name: /Rivers/ });
    await item.waitFor();
    await page.getByLabel("Search podcasts").fill("no such words");
    await page.getByText("No podcast matches").waitFor();
    await page.getByLabel("Search podcasts").fill("delta");
    await item.waitFor();
    await shot(page, "06-library");
    await item.click();
  });

  await t.test("the player shows the transcript and seeks by line", async () => {
    await page.waitForURL(/#\/podcast\//);
    await page.getByRole("heading", { name: "Rivers" }).waitFor();
    const lines = page.getByRole("list").locator("button.line");
    await lines.first().waitFor();
    const count = await lines.count();
    assert.ok(count >= 4, `only ${count} transcript lines`);
    const seek = page.getByRole("slider", { name: "Seek" });
    // Wait for the audio's metadata: the slider's maximum is the duration.
    await page.waitForFunction(() => Number(document.querySelector('input[aria-label="Seek"]')?.max) > 5);

    const target = lines.nth(3);
    await target.click();
    await page.waitForFunction(() => document.querySelector("button.line.active")?.dataset.index === "3");
    const at = Number(await seek.inputValue());
    assert.ok(at > 0, `seek position after clicking line 4: ${at}`);
    assert.equal(await target.getAttribute("aria-current"), "true");
    await shot(page, "07-player-line-4");

    // Space plays, the position advances, space pauses.
    await page.locator("body").press("Space");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.waitForFunction((from) => Number(document.querySelector('input[aria-label="Seek"]').value) > from + 0.5, at, { timeout: 20_000 });
    await page.locator("body").press("Space");
    await page.getByRole("button", { name: "Play" }).waitFor();
    // The right arrow seeks forward.
    const before = Number(await seek.inputValue());
    await page.locator("body").press("ArrowRight");
    await page.waitForFunction((from) => Number(document.querySelector('input[aria-label="Seek"]').value) >= from + 4, before);
    await shot(page, "08-player");

    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "09-player-dark");
  });

  await t.test("templates: a copy is checked at its fields and saved", async () => {
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    const deepDive = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Deep dive" }) });
    await deepDive.getByRole("link", { name: "New from copy" }).click();
    const id = page.getByLabel("Id");
    await id.waitFor();
    assert.equal(await id.inputValue(), "deep-dive-copy");
    await id.fill("Not an id");
    await page.getByLabel("Default length (minutes)").fill("0");
    await page.locator("#t-id-error").filter({ hasText: "lower-case letters" }).waitFor();
    await page.locator("#t-min-error").filter({ hasText: "out of range" }).waitFor();
    assert.equal(await id.getAttribute("aria-invalid"), "true");
    await shot(page, "10-template-errors");
    await id.fill("rivers-show");
    await page.getByLabel("Default length (minutes)").fill("3");
    await page.getByRole("button", { name: "Save template" }).click();
    await page.waitForURL(/#\/templates$/);
    const saved = page.getByRole("listitem").filter({ hasText: "Deep dive (copy)" });
    await saved.getByRole("link", { name: "Edit" }).waitFor();
    await shot(page, "11-templates");
  });

  await t.test("on a phone-sized screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true });
    const p = await phone.newPage();
    // A new browser context has no stored token: log in again.
    await p.goto(base + "/#/library");
    await p.getByLabel("Username").fill(username);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Log in" }).click();
    await p.getByRole("list", { name: "Podcasts" }).getByRole("link", { name: /Rivers/ }).click();
    await p.locator("button.line").first().waitFor();
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) console.log(await p.evaluate(() => [...document.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 8).map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("\n")));
    assert.ok(width <= 390, `the page is ${width}px wide on a 390px screen`);
    await shot(p, "12-phone-player");
    await phone.close();
  });

  assert.deepEqual(consoleErrors, [], "the page logged errors");
  await context.close();
});
