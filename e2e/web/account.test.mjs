// What a browser user has besides podcasts, at a desktop (1280×800) and a
// phone (390×844) size, against the real `podcastfy serve`: Log out in
// view; the run plan as the server decides it (a stand-in Ollama server,
// switched between down and up, answers the model list and the model's
// details — the Ollama calls a plan makes), with the offline-writer warning
// at the writer field while Ollama is down; the feed address with its QR code, and a new
// address that stops the old one; the voices of a language from the real
// espeak-ng, and a preview that plays in the page; a password change that
// keeps this session, ends the others, and makes the new password the one
// that logs in. Screenshots go to test-artifacts/web/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, runCommand, shot, startServer, stopServer } from "./harness.mjs";

const oldPassword = "first-pass-1";
const source = "Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons. Where a river meets the sea, it often builds a delta from the sediment it has carried.";
const newPassword = "second-pass-2";
const sizes = [
  // The first account made is an administrator's, the second is not.
  { name: "desktop", user: "dora", admin: true, context: { viewport: { width: 1280, height: 800 } } },
  { name: "phone", user: "pia", admin: false, context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

// ollama stands in for an Ollama server: while up, GET /api/tags lists the
// default model and POST /api/show gives its details (the context length the
// plan checks the source against); while down, every call answers 503, as a
// server still loading does.
const ollama = { up: false, server: null, url: "" };

let home, server, base, browser;

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  ollama.server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/api/tags" && ollama.up) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ models: [{ name: "llama3.2:latest", model: "llama3.2:latest", size: 2019393189, details: { family: "llama" } }] }));
      return;
    }
    if (req.method === "POST" && req.url === "/api/show" && ollama.up) {
      req.resume();
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        modelfile: "FROM llama3.2:latest",
        details: { format: "gguf", family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
        model_info: { "general.architecture": "llama", "llama.context_length": 131072, "llama.embedding_length": 3072 },
        capabilities: ["completion", "tools"],
      }));
      return;
    }
    res.writeHead(503, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: "the server is loading" }));
  });
  await new Promise((resolve) => ollama.server.listen(0, "127.0.0.1", resolve));
  ollama.url = `http://127.0.0.1:${ollama.server.address().port}`;
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-account-"));
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4", OLLAMA_HOST: ollama.url };
  for (const s of sizes) await runCommand(env, ["user", "add", s.user, "--password-stdin"], `${oldPassword}\n`);
  server = startServer(env);
  base = await server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  ollama.server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function login(page, user, password) {
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

// serverPlan asks the server what a podcast started now would run.
async function serverPlan(token) {
  const res = await fetch(`${base}/podcasts/plan`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ writer: "auto", text: source }),
  });
  assert.equal(res.status, 200);
  return res.json();
}

// planShows waits until the page's plan names writer, asking again (by
// choosing another writer and back) while it names another: the server
// keeps each check's answer for a few seconds.
async function planShows(page, writer) {
  const plan = page.getByTestId("plan");
  for (let i = 0; i < 60; i++) {
    await plan.waitFor();
    if ((await plan.innerText()).includes(`${writer} writing`)) return;
    await page.getByLabel("Script writer").selectOption("extractive");
    const answer = page.waitForResponse((r) => r.url().endsWith("/podcasts/plan"));
    await page.getByLabel("Script writer").selectOption("auto");
    await answer;
  }
  assert.fail(`the plan never named ${writer}: ${await plan.innerText()}`);
}

for (const size of sizes) {
  test(`account, feed, voices and plan at ${size.name} size`, { timeout: 180_000 }, async (t) => {
    const context = await browser.newContext({ ...size.context, colorScheme: "light" });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("response", (r) => r.status() >= 500 && pageErrors.push(`${r.status()} ${r.url()}`));
    const width = size.context.viewport.width;

    await t.test("log in; Log out is in view", async () => {
      await page.goto(base + "/");
      await login(page, size.user, oldPassword);
      await page.getByRole("heading", { name: "Library" }).waitFor();
      const logout = page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Log out" });
      assert.ok(await logout.isVisible(), "Log out is hidden");
      const box = await logout.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= width && box.y + box.height <= size.context.viewport.height, `Log out is at ${JSON.stringify(box)}`);
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width, "the page is wider than the screen");
      // Settings are the administrators'.
      assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count(), size.admin ? 1 : 0);
      await shot(page, `20-${size.name}-library`);
    });

    await t.test("the plan says what the server will run", async () => {
      const token = await page.evaluate(() => localStorage.getItem("podcastfy.token"));
      ollama.up = false;
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New podcast" }).click();
      await page.getByRole("heading", { name: "New podcast" }).waitFor();
      await page.getByLabel("Text").fill(source);
      await planShows(page, "extractive");
      assert.equal((await serverPlan(token)).writer, "extractive");
      // Preflight's warning shows at the field it concerns: the writer.
      const writerNote = page.locator("#writer-note");
      await writerNote.filter({ hasText: /Ollama at .* answered 503.*offline extractive writer/ }).waitFor();
      assert.match(await page.getByLabel("Script writer").getAttribute("aria-describedby"), /\bwriter-note\b/);
      assert.ok(await page.getByRole("button", { name: "Make the podcast" }).isEnabled(), "a warning blocks the podcast");
      await shot(page, `21-${size.name}-plan-ollama-down`);

      ollama.up = true;
      await planShows(page, "ollama");
      assert.equal((await serverPlan(token)).writer, "ollama");
      assert.equal(await writerNote.count(), 0, "the offline-writer warning stays while Ollama is up");
      ollama.up = false;
    });

    await t.test("the feed address, its QR code and a new address", async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
      await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
      const address = page.getByLabel("Feed address");
      const first = await address.inputValue();
      assert.match(first, /\/feed\.xml\?key=/);
      const qr = page.getByAltText("QR code of the feed address");
      await qr.waitFor();
      assert.ok(await page.evaluate(() => document.querySelector('img[alt="QR code of the feed address"]').naturalWidth >= 200), "the QR code did not load");
      const firstQR = await qr.getAttribute("src");
      assert.equal((await fetch(first)).status, 200);
      await shot(page, `22-${size.name}-feed`);

      await page.getByRole("button", { name: "New feed address…" }).click();
      await page.getByRole("button", { name: "Replace the address" }).click();
      await page.getByText("The feed has a new address").waitFor();
      const second = await address.inputValue();
      assert.notEqual(second, first);
      assert.notEqual(await qr.getAttribute("src"), firstQR);
      assert.equal((await fetch(first)).status, 401, "the old feed address still works");
      assert.equal((await fetch(second)).status, 200);
    });

    await t.test("the voices of a language, and one heard", async () => {
      await page.getByLabel("Language").fill("de");
      await page.getByRole("button", { name: "Show", exact: true }).click();
      const list = page.getByRole("list", { name: "Voices" });
      await list.getByRole("listitem").first().waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[aria-label="Voices"] li')].every((li) => /\bde\b/.test(li.textContent)));
      const n = await list.getByRole("listitem").count();
      assert.ok(n >= 1 && n < 20, `${n} German voices`);
      await list.getByRole("button", { name: /^Hear / }).first().click();
      await page.waitForFunction(() => {
        const a = document.getElementById("voice-preview");
        return a && a.src.startsWith("blob:") && !a.paused && a.currentTime > 0;
      });
      await shot(page, `23-${size.name}-voices`);
    });

    await t.test("a password change keeps this session and ends the others", async () => {
      const other = await (
        await fetch(`${base}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: size.user, password: oldPassword }) })
      ).json();
      await page.getByLabel("Current password").fill("not the password");
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByLabel("Repeat the new password").fill(newPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.locator("#pw-old-error").filter({ hasText: "The current password is wrong" }).waitFor();
      await shot(page, `24-${size.name}-password-wrong`);
      await page.getByLabel("Current password").fill(oldPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
      assert.equal((await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${other.token}` } })).status, 401, "another session goes on");
      // This one goes on.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
      await page.getByRole("heading", { name: "Library" }).waitFor();

      await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Log out" }).click();
      await page.getByRole("heading", { name: "Log in" }).waitFor();
      await login(page, size.user, oldPassword);
      await page.getByRole("alert").filter({ hasText: "wrong username or password" }).waitFor();
      await login(page, size.user, newPassword);
      await page.getByRole("heading", { name: "Library" }).waitFor();
    });

    assert.deepEqual(pageErrors, [], "the page failed");
    await context.close();
  });
}
