// The account and voice routes of the real `podcastfy serve` binary, as a
// program on the LAN uses them: the feed's QR code in GET /me, the voices
// of the real espeak-ng by language, a spoken preview as MP3 with its
// limits (text length, a per-user allowance answered with Retry-After),
// and a password change that keeps the caller's session and ends the
// others.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = process.env.PODCASTFY_BIN;
const password = "secret-pass-1";
let home, server, exited, base;

before(async () => {
  assert.ok(bin, "set PODCASTFY_BIN to the podcastfy binary (make test-api-e2e does)");
  home = mkdtempSync(join(tmpdir(), "podcastfy-e2e-account-"));
  const env = { ...process.env, PODCASTFY_HOME: home, PODCASTFY_BCRYPT_COST: "4" };
  execFileSync(bin, ["user", "add", "carol", "--password-stdin"], { env, input: password + "\n" });
  server = spawn(bin, ["serve", "--addr", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  server.stderr.on("data", (d) => (stderr += d));
  exited = new Promise((resolve) => server.on("exit", (code) => resolve({ code, stderr })));
  base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    exited.then((e) => reject(new Error(`podcastfy serve exited (${e.code}) before listening: ${e.stderr}`)));
  });
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await exited;
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

function call(path, token, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function login(pw) {
  const res = await fetch(`${base}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "carol", password: pw }) });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

async function wantError(res, status, code, field) {
  assert.equal(res.status, status);
  const { error } = await res.json();
  assert.equal(error.code, code, error.message);
  assert.equal(error.field, field, error.message);
  return error;
}

test("account and voice routes of podcastfy serve", { timeout: 120_000 }, async (t) => {
  let token = await login(password);

  await t.test("GET /me carries a QR code of the feed URL", async () => {
    const me = await (await call("/me", token)).json();
    assert.match(me.feedUrl, /\/feed\.xml\?key=/);
    const [prefix, data] = me.feedQrCode.split(",");
    assert.equal(prefix, "data:image/png;base64");
    assert.deepEqual([...Buffer.from(data, "base64").subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  await t.test("GET /voices lists espeak-ng's voices of a language", async () => {
    const res = await call("/voices?language=de", token);
    assert.equal(res.status, 200);
    const list = await res.json();
    assert.equal(list.provider, "espeak");
    assert.ok(list.voices.length > 0);
    for (const v of list.voices) assert.match(v.language, /^de(-|$)/);
    await wantError(await call("/voices?provider=festival", token), 400, "invalid_request", "provider");
  });

  await t.test("POST /voices/preview speaks MP3 within its limits", async () => {
    const res = await call("/voices/preview", token, { method: "POST", body: { voice: "de", text: "Guten Tag." } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "audio/mpeg");
    const mp3 = Buffer.from(await res.arrayBuffer());
    assert.ok(mp3.subarray(0, 3).toString() === "ID3" || (mp3[0] === 0xff && (mp3[1] & 0xe0) === 0xe0), "not MP3");
    await wantError(await call("/voices/preview", token, { method: "POST", body: { voice: "en", text: "word ".repeat(101) } }), 400, "invalid_request", "text");
    // The allowance: 10 previews at once, the first spent above.
    let refused = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const r = await call("/voices/preview", token, { method: "POST", body: { voice: "en", text: "Hi." } });
      if (r.status === 429) refused = r;
      else assert.equal(r.status, 200);
    }
    assert.ok(refused, "eleven previews in a row were all made");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    await wantError(refused, 429, "throttled", undefined);
  });

  await t.test("POST /me/password keeps this session and ends the others", async () => {
    const other = await login(password);
    await wantError(await call("/me/password", token, { method: "POST", body: { currentPassword: "wrong", newPassword: "another-pass-2" } }), 403, "forbidden", "currentPassword");
    await wantError(await call("/me/password", token, { method: "POST", body: { currentPassword: password, newPassword: "short" } }), 400, "invalid_request", "newPassword");
    const res = await call("/me/password", token, { method: "POST", body: { currentPassword: password, newPassword: "another-pass-2" } });
    assert.equal(res.status, 200);
    const changed = await res.json();
    assert.match(changed.message, /must log in again/);
    assert.equal((await call("/me", token)).status, 401);
    assert.equal((await call("/me", other)).status, 401);
    token = changed.token;
    assert.equal((await call("/me", token)).status, 200);
    await login("another-pass-2");
  });
});
