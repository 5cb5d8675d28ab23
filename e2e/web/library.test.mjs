// The library with 10,000 podcasts in a browser. The podcasts are written
// straight into the data folder as the store keeps them (<id>.json, the
// store.Podcast fields) before `podcastfy serve` starts; the account is
// made with `podcastfy user add`. Then, in Chromium: the count says
// "10,000 podcasts" and "104 matching"; sorting by title asks the server for
// one page, shows titles in natural order and draws a bounded number of
// rows; pages are appended as the list is scrolled; and Back from a podcast
// returns to the same rows at the same place without asking again.
//
// It asserts no time. It prints how long the title sort took to show its
// first page, for the record.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, runCommand, startServer, stopServer } from "./harness.mjs";

const podcasts = 10_000;
// Every 97th podcast's summary mentions a delta: 104 of them.
const deltaEvery = 97;
const username = "bob";
const password = "secret-pass-2";
// Rows the page may hold at once: a screenful and the list's margin, far
// below the pages loaded.
const maxDrawn = 40;

let home, server, base, browser;

// The first podcast of each order, as seeded.
const firsts = {};

// seed writes the podcasts of owner into the data folder, the way the
// store writes them (store.Podcast as JSON, named by its id). Dates and
// lengths are shuffled (i × a number prime to 10,000), so that each order
// starts elsewhere and none has ties.
function seed(dir, owner) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const start = Date.parse("2026-01-01T00:00:00Z");
  const made = [];
  for (let i = 0; i < podcasts; i++) {
    const id = randomBytes(16).toString("hex");
    const n = i + 1;
    const p = {
      id,
      title: `Part ${n}`,
      audioUrl: `/podcasts/${id}/audio`,
      duration: 60 + ((i * 7919) % podcasts) / 2,
      generatedDate: new Date(start + ((i * 6007 + 1234) % podcasts) * 60_000).toISOString(),
      sourceText: `Notes for part ${n}.`,
      sourceAudioUrl: null,
      templateUsed: "deep-dive",
      owner,
      status: "ready",
      summary: i % deltaEvery === 0 ? `Part ${n} follows the river to its delta.` : `Part ${n} of the series.`,
      speakers: ["Alex", "Sam"],
      language: "en",
      chapters: [],
      files: {},
      writer: "extractive",
      tts: "espeak",
      audioBytes: 0,
      lines: 0,
      words: 0,
    };
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(p), { mode: 0o600 });
    made.push(p);
  }
  const top = (by) => made.reduce((a, b) => (by(b) > by(a) ? b : a)).title;
  firsts.newest = top((p) => p.generatedDate);
  firsts.oldest = top((p) => -Date.parse(p.generatedDate));
  firsts.duration = top((p) => p.duration);
}

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-library-"));
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" };
  await runCommand(env, ["user", "add", username, "--password-stdin"], `${password}\n`);
  const users = JSON.parse(await runCommand(env, ["user", "list", "--json"]));
  const owner = users.find((u) => u.username === username)?.id;
  assert.ok(owner, `no id for ${username} in ${JSON.stringify(users)}`);
  seed(join(home, "data", "podcasts"), owner);
  server = startServer(env);
  base = await server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  if (home) rmSync(home, { recursive: true, force: true });
});

// The list's state as the page shows it.
function listState(page) {
  return page.evaluate(() => {
    const list = document.querySelector('[role="list"][aria-label="Podcasts"]');
    const rows = [...list.querySelectorAll('[role="listitem"]')];
    // Rows wholly in view (a click scrolls a row partly out of view into it).
    const inView = rows.filter((r) => r.getBoundingClientRect().top >= 0 && r.getBoundingClientRect().bottom <= window.innerHeight);
    const title = (r) => r.querySelector("h3").textContent.trim();
    return {
      busy: list.getAttribute("aria-busy") === "true",
      drawn: rows.length,
      lastDrawn: Number(rows.at(-1)?.getAttribute("aria-posinset") ?? 0),
      firstInView: inView[0] ? { at: Number(inView[0].getAttribute("aria-posinset")), title: title(inView[0]) } : null,
      titles: rows.slice(0, 3).map(title),
      listTop: list.getBoundingClientRect().top + window.scrollY,
      listHeight: list.getBoundingClientRect().height,
      scrollY: window.scrollY,
      count: document.querySelector('[data-testid="count"]').textContent.trim(),
    };
  });
}

// settled waits until no page is loading and two frames have been drawn,
// so that anything the list would ask for next has been asked for.
async function settled(page) {
  await page.waitForFunction(() => document.querySelector('[role="list"][aria-label="Podcasts"]')?.getAttribute("aria-busy") === "false");
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test("a library of 10,000 podcasts", { timeout: 240_000 }, async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));
  // Every list request: GET /podcasts with its query.
  const lists = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname === "/podcasts") lists.push(Object.fromEntries(u.searchParams));
  });

  await t.test("the count is the real total", async () => {
    await page.goto(base + "/");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("count").filter({ hasText: "10,000 podcasts" }).waitFor();
    await settled(page);
    assert.equal(lists.length, 1, `list requests: ${JSON.stringify(lists)}`);
    const s = await listState(page);
    assert.equal(s.titles[0], firsts.newest);
    assert.ok(s.drawn <= maxDrawn, `${s.drawn} rows drawn`);

    await page.getByLabel("Search podcasts").fill("delta");
    await page.getByTestId("count").filter({ hasText: "104 matching" }).waitFor();
    await page.getByLabel("Search podcasts").fill("");
    await page.getByTestId("count").filter({ hasText: "10,000 podcasts" }).waitFor();
    await settled(page);
  });

  // sortBy picks an order and waits until the list starts with first;
  // it returns the list requests made and how long it took, for the record.
  async function sortBy(order, first) {
    const before = lists.length;
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/podcasts");
    const started = performance.now();
    await page.getByLabel("Sort by").selectOption(order);
    await page.waitForFunction((title) => {
      const row = document.querySelector('[role="list"][aria-label="Podcasts"] [role="listitem"] h3');
      return row?.textContent.trim() === title;
    }, first);
    const shown = performance.now() - started;
    const timing = (await answered).request().timing();
    await settled(page);
    const asked = lists.slice(before);
    console.log(
      `${order} sort of ${podcasts} podcasts: first page shown ${shown.toFixed(0)} ms after the choice ` +
        `(GET /podcasts answered in ${(timing.responseEnd - timing.requestStart).toFixed(0)} ms); ${asked.length} list request(s): ${JSON.stringify(asked)}`,
    );
    return asked;
  }

  await t.test("sorting asks for one page and draws a bounded number of rows", async () => {
    // The first title sort since the server started, then another order, then titles again.
    for (const [order, first] of [["title", "Part 1"], ["oldest", firsts.oldest], ["duration", firsts.duration], ["title", "Part 1"]]) {
      const asked = await sortBy(order, first);
      assert.equal(asked.length, 1, `list requests for the ${order} sort: ${JSON.stringify(asked)}`);
      assert.equal(asked[0].sort, order);
      const s = await listState(page);
      assert.ok(s.drawn <= maxDrawn, `${s.drawn} rows drawn`);
      assert.equal(s.count, "10,000 podcasts");
    }
    // Natural order: "Part 2" comes before "Part 10".
    assert.deepEqual((await listState(page)).titles, ["Part 1", "Part 2", "Part 3"]);
    await page.screenshot({ path: join(artifacts, "13-library-10000-by-title.png") });
  });

  let left;
  await t.test("scrolling appends pages and keeps the rows drawn bounded", async () => {
    const before = lists.length;
    while ((await listState(page)).lastDrawn < 200) {
      const was = (await listState(page)).lastDrawn;
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(
        (n) => Number([...document.querySelectorAll('[role="list"][aria-label="Podcasts"] [role="listitem"]')].at(-1)?.getAttribute("aria-posinset")) > n,
        was,
      );
      await settled(page);
    }
    const asked = lists.slice(before);
    assert.ok(asked.length >= 3, `pages asked for: ${JSON.stringify(asked)}`);
    assert.ok(
      asked.every((q) => q.sort === "title" && q.cursor),
      `each next page continues the title sort: ${JSON.stringify(asked)}`,
    );
    const s = await listState(page);
    assert.ok(s.drawn <= maxDrawn, `${s.drawn} rows drawn with ${s.lastDrawn} loaded`);

    // Leave from a row in the middle of what is loaded.
    const rowHeight = s.listHeight / s.lastDrawn;
    await page.evaluate((y) => window.scrollTo(0, y), Math.round(s.listTop + 120 * rowHeight));
    await settled(page);
    left = await listState(page);
    assert.ok(left.firstInView.at > 100, `first row in view: ${JSON.stringify(left.firstInView)}`);
  });

  await t.test("Back returns to the same place without asking again", async () => {
    const before = lists.length;
    const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: left.firstInView.title, exact: true }) });
    await row.getByRole("link").click();
    await page.waitForURL(/#\/podcast\//);
    await page.getByRole("heading", { name: left.firstInView.title, exact: true }).waitFor();
    await page.goBack();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await page.getByTestId("count").filter({ hasText: "10,000 podcasts" }).waitFor();
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 1, left.scrollY);
    await settled(page);
    const back = await listState(page);
    assert.deepEqual(back.firstInView, left.firstInView);
    assert.equal(back.count, "10,000 podcasts");
    assert.equal(await page.getByLabel("Sort by").inputValue(), "title");
    assert.deepEqual(lists.slice(before), [], "list requests after Back");
    assert.ok(back.drawn <= maxDrawn, `${back.drawn} rows drawn`);
    await page.screenshot({ path: join(artifacts, "14-library-back.png") });
  });

  assert.deepEqual(errors, [], "the page failed");
  await context.close();
});
