// The web Settings, at a desktop (1280×800) and a phone (390×844) size,
// against the real `podcastfy serve` with a stand-in Ollama server (its model
// list and /api/show with a small context length) and the real espeak-ng:
// an administrator sees every service in plain words (unused ones "not
// used", none shown as an error), the Ollama models and the model's context
// length, edits and saves settings (the status asked again after Save, a key
// masked and kept, the default length applied to the New podcast form,
// which warns when the source is longer than the model writes in full), and
// manages the other accounts (made, given a new password, deleted with their
// podcasts kept or removed, as the person picks). A user who is not an
// administrator gets no Settings, on screen or from the admin routes.
// Screenshots go to test-artifacts/web/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts, bin, launchBrowser, runCommand, shot, startServer, stopServer } from "./harness.mjs";

const password = "settings-pass-1";
const mask = "••••••••";
// Each size has its own administrator, user and account to manage, and
// picks the other answer for the deleted account's podcasts.
const sizes = [
  {
    name: "desktop", admin: "ada", user: "nils", other: "carl", podcasts: "keep", minutes: "7", key: "sk-e2e-desktop-1",
    context: { viewport: { width: 1280, height: 800 } },
  },
  {
    name: "phone", admin: "abe", user: "nina", other: "cora", podcasts: "delete", minutes: "9", key: "sk-e2e-phone-2",
    context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  },
];

// The stand-in model's context length: small, as a model run with a short
// window, so a source of a few pages does not fit.
const contextLength = 2048;

// ollama stands in for an Ollama server: GET /api/tags lists the default
// model and POST /api/show gives its details with the context length; any
// other call answers 404 as Ollama does for an unknown path.
let ollama;
let home, server, base, browser;

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-web-e2e does)");
  mkdirSync(artifacts, { recursive: true });
  ollama = createServer((req, res) => {
    req.resume();
    if (req.method === "GET" && req.url === "/api/tags") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        models: [{ name: "llama3.2:latest", model: "llama3.2:latest", size: 2019393189, details: { family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" } }],
      }));
      return;
    }
    if (req.method === "POST" && req.url === "/api/show") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        modelfile: "FROM llama3.2:latest",
        details: { format: "gguf", family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
        model_info: { "general.architecture": "llama", "llama.context_length": contextLength, "llama.embedding_length": 3072 },
        capabilities: ["completion", "tools"],
      }));
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("404 page not found");
  });
  await new Promise((resolve) => ollama.listen(0, "127.0.0.1", resolve));
  home = mkdtempSync(join(tmpdir(), "podcastfy-web-settings-"));
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4", OLLAMA_HOST: `http://127.0.0.1:${ollama.address().port}` };
  for (const s of sizes) {
    await runCommand(env, ["user", "add", s.admin, "--admin", "--password-stdin"], `${password}\n`);
    await runCommand(env, ["user", "add", s.user, "--password-stdin"], `${password}\n`);
  }
  server = startServer(env);
  base = await server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  ollama?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const n = (v) => v.toLocaleString("en");
const nav = (page) => page.getByRole("navigation", { name: "Main" });

async function api(path, { token, method = "GET", body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function loginAPI(username, pw) {
  const res = await api("/auth/login", { method: "POST", body: { username, password: pw } });
  return { status: res.status, token: res.status === 200 ? (await res.json()).token : "" };
}

async function login(page, user) {
  await page.goto(base + "/");
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Library" }).waitFor();
}

// podcastFor makes a podcast as the account token logs in to (the offline
// writer and espeak-ng), following its events to the end; its id.
async function podcastFor(token, title) {
  const res = await api("/podcasts/generate/text", {
    token, method: "POST",
    body: { text: "Rivers shape the land they cross. Over thousands of years, flowing water carves valleys and canyons.", title, minutes: 0.5, writer: "extractive", tts: "espeak", templateId: "brief" },
  });
  assert.equal(res.status, 202, await res.clone().text());
  const accepted = await res.json();
  const events = await (await api(accepted.eventsUrl, { token })).text();
  assert.match(events, /^event: done$/m, events);
  return accepted.jobId;
}

// valueShown waits until the input labelled label holds want (a form fills
// itself in once it has read the server's answer).
async function valueShown(page, label, want) {
  const input = await page.getByLabel(label, { exact: true }).elementHandle();
  await page.waitForFunction(([el, v]) => el.value === v, [input, want]);
}

// tooWide names the elements that reach past the right edge of a screen
// width wide: none, on a page a phone shows without scrolling sideways.
function tooWide(page, width) {
  return page.evaluate((w) => [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > w + 1)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} ${(e.textContent ?? "").trim().slice(0, 40)}`), width);
}

// healthShown waits for the Services list to hold every service, checked.
async function healthShown(page) {
  const services = page.getByRole("region", { name: "Services" });
  await services.locator('ul.health[aria-busy="false"] > li').nth(5).waitFor();
  return services;
}

const service = (services, label) => services.locator("li").filter({ has: services.page().locator("strong", { hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`) }) });

for (const size of sizes) {
  test(`an administrator's settings and accounts at ${size.name} size`, { timeout: 240_000 }, async (t) => {
    const context = await browser.newContext({ ...size.context, colorScheme: "light" });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("response", (r) => r.status() >= 500 && pageErrors.push(`${r.status()} ${r.url()}`));
    const width = size.context.viewport.width;
    let token;

    await t.test("Settings shows every service in plain words, the models and the context length", async () => {
      await login(page, size.admin);
      token = await page.evaluate(() => localStorage.getItem("podcastfy.token"));
      await nav(page).getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      const services = await healthShown(page);

      const ollamaRow = service(services, "Ollama");
      assert.equal(await ollamaRow.getByRole("img").getAttribute("aria-label"), "Working");
      assert.match(await ollamaRow.innerText(), /Ready, with the model llama3\.2\./);
      assert.equal(await service(services, "espeak-ng (built in)").getByRole("img").getAttribute("aria-label"), "Working");
      // The voice servers not in use are grey and say so, not errors.
      for (const label of ["OpenAI-compatible voice server", "Kyutai TTS (moshi-server)", "Piper"]) {
        const row = service(services, label);
        assert.equal(await row.getByRole("img").getAttribute("aria-label"), "Not used", label);
        assert.match(await row.innerText(), /not used[\s\S]*Not used: the voices come from espeak-ng/, label);
      }
      assert.equal(await services.getByRole("img", { name: "Not working", exact: true }).count(), 0, "a service the settings rely on is shown failing");

      const models = page.getByRole("region", { name: "Ollama models" });
      await models.getByRole("cell", { name: "llama3.2:latest" }).waitFor();
      const ctx = await (await api("/admin/models/context", { token })).json();
      assert.equal(ctx.modelLength, contextLength);
      assert.ok(ctx.sourceChars > 0, JSON.stringify(ctx));
      const said = await page.getByTestId("model-context").innerText();
      assert.match(said, new RegExp(`context length ${n(contextLength)} tokens`));
      assert.ok(said.includes(`Sources up to about ${n(ctx.sourceChars)} characters are written in full`), said);
      assert.deepEqual(await tooWide(page, width), [], "the page is wider than the screen");
      await shot(page, `40-${size.name}-settings`);
    });

    await t.test("Save applies the settings, checks the services again and masks the key", async () => {
      await page.getByLabel("Temperature (0 to 2)").fill("0.4");
      await page.getByLabel("Speech recognition server").selectOption("openai");
      await page.getByLabel("Whisper API key").fill(size.key);
      const checked = page.waitForResponse((r) => r.url().endsWith("/admin/health") && r.request().method() === "GET");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").filter({ hasText: "Settings saved. The services above were checked again." }).waitFor();
      await checked;
      // The status is of what was saved: the speech recognition server
      // shown is the one just picked.
      const services = await healthShown(page);
      await service(services, "OpenAI-compatible speech recognition").waitFor();
      assert.equal(await page.getByLabel("Whisper API key").inputValue(), mask);
      const saved = await (await api("/admin/settings", { token })).json();
      assert.equal(saved.whisper.apiKey, mask, "the key left the server in clear");
      assert.equal(saved.ollama.options.temperature, 0.4);
      assert.ok(readFileSync(join(home, "config", "config.yaml"), "utf8").includes(size.key), "the key was not saved");

      // A second save that leaves the masked key alone keeps it.
      await page.getByLabel("Default length (minutes)").fill(size.minutes);
      const put = page.waitForResponse((r) => r.url().endsWith("/admin/settings") && r.request().method() === "PUT");
      await page.getByRole("button", { name: "Save settings" }).click();
      assert.equal((await put).status(), 200);
      await page.getByText("Settings saved.").waitFor();
      const config = readFileSync(join(home, "config", "config.yaml"), "utf8");
      assert.ok(config.includes(size.key), "saving the mask lost the key");
      assert.ok(!config.includes(mask), "the mask was saved as the key");
      await page.reload();
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await valueShown(page, "Default length (minutes)", size.minutes);
      await shot(page, `41-${size.name}-settings-saved`);
    });

    await t.test("the New podcast form starts with the default length and warns when the source does not fit", async () => {
      await nav(page).getByRole("link", { name: "New podcast" }).click();
      await page.getByRole("heading", { name: "New podcast" }).waitFor();
      // The form fills in the settings' defaults once it has read them.
      await valueShown(page, "Length (minutes)", size.minutes);
      const ctx = await (await api("/admin/models/context", { token })).json();
      const sentence = "Rivers shape the land they cross, carving valleys over thousands of years. ";
      const long = sentence.repeat(Math.ceil((ctx.sourceChars + 2000) / sentence.length));
      await page.getByLabel("Text").fill(long);
      const note = page.locator("#text-note");
      await note.filter({ hasText: /condensed to its most central sentences/ }).waitFor();
      assert.match(await note.innerText(), new RegExp(`${ctx.model}.*context window ${ctx.numCtx} tokens`));
      assert.match(await page.getByLabel("Text").getAttribute("aria-describedby"), /\btext-note\b/);
      assert.ok(await page.getByRole("button", { name: "Make the podcast" }).isEnabled(), "a warning blocks the podcast");
      await shot(page, `42-${size.name}-source-too-long`);
      // A text that fits is not warned about.
      await page.getByLabel("Text").fill(sentence.repeat(20));
      await note.filter({ hasText: /condensed/ }).waitFor({ state: "detached" });
    });

    await t.test("accounts are made, given a new password and deleted from Settings", async () => {
      await nav(page).getByRole("link", { name: "Settings" }).click();
      const accounts = page.getByRole("region", { name: "Accounts" });
      await accounts.getByText(size.user, { exact: true }).waitFor();
      await accounts.getByLabel("Username", { exact: true }).fill(size.other);
      await accounts.getByLabel("Password", { exact: true }).fill("short");
      await accounts.getByRole("button", { name: "Create account" }).click();
      await accounts.locator("#acc-password-error").filter({ hasText: /8/ }).waitFor();
      await accounts.getByLabel("Password", { exact: true }).fill("other-pass-1");
      await accounts.getByRole("button", { name: "Create account" }).click();
      await accounts.getByText(`${size.other} can now log in from other devices.`).waitFor();
      const first = await loginAPI(size.other, "other-pass-1");
      assert.equal(first.status, 200, "the new account cannot log in");
      const podcast = await podcastFor(first.token, `${size.other}'s rivers`);

      await accounts.getByRole("button", { name: `Give ${size.other} a new password` }).click();
      await accounts.getByLabel(`New password for ${size.other}`).fill("other-pass-2");
      await accounts.getByRole("button", { name: "Set password" }).click();
      await accounts.getByText(`${size.other} has a new password`).waitFor();
      assert.equal((await api("/me", { token: first.token })).status, 401, "the old session goes on after the reset");
      assert.equal((await loginAPI(size.other, "other-pass-1")).status, 401, "the old password still logs in");
      const second = await loginAPI(size.other, "other-pass-2");
      assert.equal(second.status, 200, "the new password does not log in");

      // Deleting asks what happens to the podcasts; nothing goes before a choice.
      await accounts.getByRole("button", { name: `Delete ${size.other}`, exact: true }).click();
      const confirm = accounts.getByRole("group", { name: `Delete ${size.other}?` });
      await confirm.waitFor();
      await shot(page, `43-${size.name}-delete-account`);
      assert.equal((await api("/me", { token: second.token })).status, 200);
      const pick = size.podcasts === "keep" ? `Delete ${size.other}, keep their podcasts` : `Delete ${size.other} and their podcasts`;
      await confirm.getByRole("button", { name: pick }).click();
      if (size.podcasts === "keep") {
        await accounts.getByText(`Deleted ${size.other}; their 1 podcast and 0 templates now belong to ${size.admin}`).waitFor();
        const mine = await (await api(`/podcasts/${podcast}`, { token })).json();
        assert.equal(mine.title, `${size.other}'s rivers`, "the kept podcast is not the administrator's");
      } else {
        await accounts.getByText(`Deleted ${size.other} with their 1 podcast`).waitFor();
        assert.equal((await api(`/podcasts/${podcast}`, { token })).status, 404);
        assert.ok(!existsSync(join(home, "data", "podcasts", `${podcast}.json`)), "the deleted account's podcast is still on disk");
      }
      await accounts.getByText(size.other, { exact: true }).waitFor({ state: "detached" });
      assert.equal((await api("/me", { token: second.token })).status, 401, "the deleted account's session goes on");
      assert.deepEqual(await tooWide(page, width), [], "the page is wider than the screen");
    });

    assert.deepEqual(pageErrors, [], "the page failed");
    await context.close();
  });

  test(`a user who is not an administrator gets no settings at ${size.name} size`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ ...size.context, colorScheme: "light" });
    const page = await context.newPage();
    await login(page, size.user);
    await nav(page).getByRole("link", { name: "Account" }).waitFor();
    assert.equal(await nav(page).getByRole("link", { name: "Settings" }).count(), 0, "Settings is offered to a user");
    await page.goto(base + "/#/settings");
    await page.getByText("Settings are for administrators.").waitFor();
    assert.equal(await page.getByRole("region", { name: "Services" }).count(), 0);
    const token = await page.evaluate(() => localStorage.getItem("podcastfy.token"));
    for (const [method, path] of [["GET", "/admin/settings"], ["PUT", "/admin/settings"], ["GET", "/admin/health"], ["GET", "/admin/models/context"], ["GET", "/users"]]) {
      const res = await api(path, { token, method, body: method === "PUT" ? {} : undefined });
      assert.equal(res.status, 403, `${method} ${path}`);
    }
    await shot(page, `44-${size.name}-settings-not-admin`);
    await context.close();
  });
}
