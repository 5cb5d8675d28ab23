// The script studio in a browser (issue 15): the real `podcastfy serve`
// with real espeak-ng makes a podcast (offline writer) through the API;
// then, in Chromium at desktop and at phone size, the player's "Edit
// script" opens the editor, one line is changed and saved, the re-voice
// reports one line voiced and the rest reused, and the player plays the
// new version: its transcript has the new text and it says version 2 (3
// on the phone). Last, a script changed through the API while the editor
// is open: the save is refused as stale, the edits stay on screen, and
// "Load theirs" shows the other change. And leaving with unsaved edits
// asks first: in the page for another screen of the app (keep editing,
// then discard), through the browser's own question for a tab closed.
//
// harness.mjs says how the binary and the browser are found.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, shot, startServer, stopServer } from "./harness.mjs";

const username = "carol";
const password = "secret-pass-3";
const source = `Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons.
The speed of the water decides how much sediment it can carry. Fast rivers move boulders, while slow rivers drop fine silt.
Where a river meets the sea, it often builds a delta from the sediment it has carried. Deltas are some of the most fertile land on Earth.
Floods, though destructive, renew the soil of river plains. Ancient civilisations grew along rivers for this reason, from the Nile to the Indus.`;

let home, server, base, browser, token, podcastId;

async function api(method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

// waitJob follows a job through its status until it is no longer running.
async function waitJob(id) {
  for (;;) {
    const { body } = await api("GET", `/jobs/${id}`);
    if (!["queued", "transcribing", "writing", "synthesising", "mastering"].includes(body.state)) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-studio-"));
  server = startServer({ ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" });
  base = await server.url;
  const made = await fetch(`${base}/setup`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
  assert.equal(made.status, 200, "POST /setup");
  token = (await made.json()).token;
  assert.ok(token, "POST /setup gave no token");
  const started = await api("POST", "/podcasts/generate/text", { text: source, title: "Rivers", templateId: "deep-dive", minutes: 1, writer: "extractive", tts: "espeak" });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const done = await waitJob(started.body.job.id);
  assert.equal(done.state, "done", done.error);
  podcastId = done.podcastId;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  if (home) rmSync(home, { recursive: true, force: true });
});

// A page logged in as the test's user (the token where the web app keeps it).
async function loggedIn(options) {
  const context = await browser.newContext(options);
  await context.addInitScript((t) => window.localStorage.setItem("podcastfy.token", t), token);
  const page = await context.newPage();
  const errors = [];
  // A refused save (412) shows in the page as a failed resource: that is the point of one test.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));
  page.on("pageerror", (e) => errors.push(String(e)));
  return { context, page, errors };
}

// editAndRevoice changes line n in the open editor, saves, and waits for
// the re-voice; it returns the result the editor reports.
async function editAndRevoice(page, n, text) {
  const line = page.getByLabel(`Text of line ${n}`, { exact: true });
  await line.fill(text);
  await page.getByText(/about 1 of \d+ lines to re-voice/).waitFor();
  await page.getByRole("button", { name: "Save and re-voice" }).click();
  const result = page.getByTestId("revoice-result");
  await result.waitFor({ timeout: 120_000 });
  return result.innerText();
}

for (const size of [
  { name: "desktop", viewport: { width: 1280, height: 860 }, version: 2, line: 2 },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true, version: 3, line: 3 },
]) {
  test(`edit one line and hear the new version (${size.name})`, { timeout: 240_000 }, async () => {
    const { context, page, errors } = await loggedIn({ viewport: size.viewport, isMobile: size.isMobile ?? false });
    await page.goto(`${base}/#/podcast/${podcastId}`);
    await page.locator("button.line").first().waitFor();
    await page.getByRole("link", { name: "Edit script" }).click();
    await page.waitForURL(/\/script$/);
    await page.getByTestId("script-version").filter({ hasText: `Version ${size.version - 1}` }).waitFor();

    const lines = await page.getByTestId("script-line").count();
    // No digits: the speakable-text stage would write them out as words.
    const newText = `Deltas feed millions of people, said on the ${size.name}.`;
    const result = await editAndRevoice(page, size.line, newText);
    const m = result.match(/^Version (\d+) is ready: (\d+) lines? re-voiced, (\d+) reused\.$/);
    assert.ok(m, `the editor reported: ${result}`);
    assert.deepEqual([Number(m[1]), Number(m[2]), Number(m[3])], [size.version, 1, lines - 1]);
    if (size.name === "phone") {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= size.viewport.width, `the editor is ${width}px wide on a ${size.viewport.width}px screen`);
    }
    await shot(page, `20-studio-${size.name}-saved`);

    await page.getByRole("button", { name: "Play the new version" }).click();
    await page.waitForURL(new RegExp(`#/podcast/${podcastId}$`));
    // The player reports the new version: its number, the new line in the transcript, and it plays.
    await page.getByTestId("podcast-version").filter({ hasText: `version ${size.version}` }).waitFor();
    await page.locator("button.line").filter({ hasText: newText }).waitFor();
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.waitForFunction(() => Number(document.querySelector('input[aria-label="Seek"]')?.value) > 0.2, null, { timeout: 20_000 });
    const podcast = await api("GET", `/podcasts/${podcastId}`);
    assert.equal(podcast.body.version, size.version);
    await shot(page, `21-studio-${size.name}-player`);
    assert.deepEqual(errors, [], "the page logged errors");
    await context.close();
  });
}

test("a script changed elsewhere is not overwritten, and the edits stay on screen", { timeout: 240_000 }, async () => {
  const { context, page, errors } = await loggedIn({ viewport: { width: 1280, height: 860 } });
  page.on("dialog", (d) => d.accept());
  await page.goto(`${base}/#/podcast/${podcastId}/script`);
  const first = page.getByLabel("Text of line 1", { exact: true });
  await first.waitFor();

  // Someone else changes line 1 through the API and re-voices it.
  const read = await api("GET", `/podcasts/${podcastId}/script`);
  const theirs = structuredClone(read.body);
  theirs.chapters[0].lines[0].text = "Welcome back to the river show.";
  const put = await api("PUT", `/podcasts/${podcastId}/script`, theirs, { "If-Match": read.headers.get("etag") });
  assert.equal(put.status, 202, JSON.stringify(put.body));
  assert.equal((await waitJob(put.body.job.id)).state, "done");

  const mine = "My own opening line.";
  await first.fill(mine);
  await page.getByRole("button", { name: "Save and re-voice" }).click();
  await page.getByText("Someone changed this script since you opened it").waitFor();
  assert.equal(await first.inputValue(), mine, "the edit is still on screen");
  await shot(page, "22-studio-stale");

  await page.getByRole("button", { name: "Load theirs" }).click();
  await page.waitForFunction(() => document.querySelector('textarea[aria-describedby$="-text-error"]')?.value === "Welcome back to the river show.");
  assert.equal(await page.getByRole("button", { name: "Save and re-voice" }).isDisabled(), true);
  assert.deepEqual(errors, [], "the page logged errors");
  await context.close();
});

test("leaving with unsaved edits asks first", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await loggedIn({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${base}/#/podcast/${podcastId}/script`);
  const first = page.getByLabel("Text of line 1", { exact: true });
  await first.waitFor();
  const before = (await api("GET", `/podcasts/${podcastId}/script`)).body.chapters[0].lines[0].text;
  const unsaved = "An edit nobody saved yet.";
  await first.fill(unsaved);

  // Another screen of the app: the page asks, and stays while it does.
  await page.getByRole("link", { name: "Back to the player" }).click();
  const ask = page.getByRole("alertdialog", { name: "Leave without saving?" });
  await ask.waitFor();
  assert.match(page.url(), /\/script$/, "the address changed while the page asked");
  await shot(page, "23-studio-leave-asks");
  await ask.getByRole("button", { name: "Keep editing" }).click();
  await ask.waitFor({ state: "hidden" });
  assert.match(page.url(), /\/script$/);
  assert.equal(await first.inputValue(), unsaved, "keep editing kept the edit");

  // The tab closed: the browser asks (beforeunload); staying keeps the page and the edit.
  const question = new Promise((resolve) => page.once("dialog", resolve));
  await page.close({ runBeforeUnload: true });
  const dialog = await question;
  assert.equal(dialog.type(), "beforeunload");
  await dialog.dismiss();
  assert.equal(page.isClosed(), false, "the tab closed over unsaved edits");
  assert.equal(await first.inputValue(), unsaved);

  // The library, and this time the edits are dropped: nothing was saved.
  await page.getByRole("link", { name: "Library", exact: true }).click();
  await ask.getByRole("button", { name: "Discard edits" }).click();
  await page.waitForURL(/#\/library$/);
  const after = await api("GET", `/podcasts/${podcastId}/script`);
  assert.equal(after.body.chapters[0].lines[0].text, before, "a discarded edit reached the script");
  assert.deepEqual(errors, [], "the page logged errors");
  await context.close();
});
