// 链招's service worker: the field pages (/field…) open without a signal, and what is sent from
// them meanwhile waits in a queue on the phone (IndexedDB) until it can be sent, each item with its
// own idempotency key so the server applies it once however often it is sent.
// `LZ` (the first line, written by the server): { version, assets, text: { "zh-CN": {…}, en: {…} } }.
"use strict";

const SHELL = "lz-shell-" + LZ.version;
const PAGES = "lz-pages-" + LZ.version;
const DB_NAME = "lz-field";
const FIELD_POST = "/api/field/";
const NETWORK_WAIT_MS = 6000;

// ---- storage -------------------------------------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
      if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(store, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    let result;
    Promise.resolve(work(t.objectStore(store))).then((r) => { result = r; });
    t.oncomplete = () => { db.close(); resolve(result); };
    t.onerror = () => { db.close(); reject(t.error); };
    t.onabort = () => { db.close(); reject(t.error); };
  });
}

const req2p = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
const allItems = () => tx("queue", "readonly", (s) => req2p(s.getAll()));
const putItem = (item) => tx("queue", "readwrite", (s) => req2p(s.put(item)));
const deleteItem = (id) => tx("queue", "readwrite", (s) => req2p(s.delete(id)));
const getItem = (id) => tx("queue", "readonly", (s) => req2p(s.get(id)));
const getMeta = (k) => tx("meta", "readonly", (s) => req2p(s.get(k)));
const setMeta = (k, v) => tx("meta", "readwrite", (s) => req2p(s.put(v, k)));

// ---- text ----------------------------------------------------------------------------------

async function lang() {
  return (await getMeta("lang").catch(() => null)) || "zh-CN";
}

function say(l, key, args) {
  let s = (LZ.text[l] && LZ.text[l][key]) || (LZ.text["zh-CN"] && LZ.text["zh-CN"][key]) || key;
  for (const [k, v] of Object.entries(args || {})) s = s.replace("{" + k + "}", String(v));
  return s;
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function when(ms, l) {
  return new Date(ms).toLocaleString(l === "en" ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
  });
}

// ---- install, update -----------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(LZ.assets)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // The pages a phone took along move to this version's cache (fetched again when possible,
    // so they link this version's assets; else kept as they were), then old caches go.
    const names = await caches.keys();
    const fresh = await caches.open(PAGES);
    for (const name of names.filter((n) => n.startsWith("lz-pages-") && n !== PAGES)) {
      const old = await caches.open(name);
      for (const req of await old.keys()) {
        const got = await fetchPage(req.url).catch(() => null);
        await fresh.put(req.url, got || (await old.match(req)));
      }
    }
    await Promise.all(names.filter((n) => n !== SHELL && n !== PAGES).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// ---- routing -------------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST") {
    if (url.pathname.startsWith(FIELD_POST) && url.pathname !== FIELD_POST + "explain") return event.respondWith(queuePost(req, url));
    if (url.pathname === "/field/take") return event.respondWith(takeWeek());
    const files = url.pathname.match(/^\/field\/visits\/(\d+)\/attachments$/);
    if (files) return event.respondWith(queueFiles(req, url, files[1]));
    if (url.pathname === "/sw/sync") return event.respondWith(flush().then(() => see("/field/outbox")));
    const m = url.pathname.match(/^\/sw\/outbox\/(\d+)\/(resend|delete)$/);
    if (m) return event.respondWith(editItem(Number(m[1]), m[2], req));
    if (url.pathname === "/logout") event.waitUntil(setMeta("user", "").then(forgetPages));
    return;
  }
  if (req.method !== "GET") return;
  if (url.pathname === "/field/outbox") return event.respondWith(outboxPage());
  if (req.mode === "navigate" && (url.pathname === "/field" || url.pathname.startsWith("/field/"))) {
    event.waitUntil(flush().catch(() => {}));
    return event.respondWith(fieldPage(req, url));
  }
  if (LZ.assets.includes(url.pathname)) {
    return event.respondWith(caches.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req)));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "lz-sync") event.waitUntil(flush());
});

self.addEventListener("message", (event) => {
  if (event.data === "sync") event.waitUntil(flush().catch(() => {}));
});

const see = (path) => Response.redirect(path, 303);

// ---- pages ---------------------------------------------------------------------------------

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

// A page as the server sends it, if it is the page (not the login page it redirects to).
async function fetchPage(href) {
  const res = await fetch(href, { credentials: "same-origin", redirect: "follow" });
  if (!res.ok || res.redirected) throw new Error("not the page: " + res.status);
  return res;
}

async function fieldPage(req, url) {
  const key = url.pathname + url.search;
  const cache = await caches.open(PAGES);
  let html, offline = false, status = 200;
  try {
    const res = await withTimeout(fetch(req), NETWORK_WAIT_MS);
    if (res.redirected || !res.ok || !(res.headers.get("content-type") || "").includes("text/html")) return res;
    html = await res.text();
    status = res.status;
    await cache.put(url.pathname, new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }));
    const m = html.match(/<html lang="([^"]+)"/);
    if (m) await setMeta("lang", m[1]);
    const u = html.match(SLOT);
    if (u) await setMeta("user", u[1]);
  } catch (e) {
    const hit = (await cache.match(key)) || (await cache.match(url.pathname));
    if (!hit) return offlinePage();
    html = await hit.text();
    offline = true;
  }
  return new Response(await withBanner(html, offline), {
    status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

// The page's empty `<div id="lz-outbox" … data-user="N" …></div>` (attributes in any order).
const SLOT = /<div id="lz-outbox"[^>]*?data-user="(\d+)"[^>]*><\/div>/;

// Who is signed in, as the last page from the server said ("" after signing out).
const currentUser = () => getMeta("user").catch(() => "");

async function withBanner(html, offline) {
  const l = await lang();
  const user = await currentUser();
  const items = (await allItems().catch(() => [])).filter((i) => (i.user || user) === user);
  const pending = items.filter((i) => i.status !== "failed").length;
  const failed = items.length - pending;
  const last = await getMeta("lastSync").catch(() => null);
  const notice = await getMeta("notice").catch(() => null);
  if (notice) await setMeta("notice", null);
  const parts = [];
  if (offline) parts.push('<p class="outbox-offline" id="lz-offline">' + esc(say(l, "sw.offline")) + "</p>");
  if (notice) parts.push('<p class="outbox-notice" id="lz-notice">' + esc(notice) + "</p>");
  const counts = [];
  if (pending) counts.push('<span id="lz-pending">' + esc(say(l, "sw.pending", { n: pending })) + "</span>");
  if (failed) counts.push('<span id="lz-failed" class="status status-warn">' + esc(say(l, "sw.failed", { n: failed })) + "</span>");
  counts.push('<span id="lz-last-sync">' + esc(say(l, "sw.last_sync")) + " " + esc(last ? when(last, l) : say(l, "sw.never")) + "</span>");
  parts.push('<p class="outbox-status">' + counts.join(" · ") + ' · <a href="/field/outbox">' + esc(say(l, "sw.view")) + "</a></p>");
  const banner = '<div id="lz-outbox" class="outbox-slot" data-pending="' + pending + '" data-failed="' + failed + '">' + parts.join("") + "</div>";
  return html.replace(SLOT, banner);
}

function page(l, title, body) {
  const css = LZ.assets.find((a) => a.endsWith(".css"));
  return new Response(
    '<!DOCTYPE html><html lang="' + esc(l) + '"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<link rel="stylesheet" href="' + esc(css) + '"><link rel="manifest" href="/manifest.webmanifest"><title>' + esc(title) + "</title></head>" +
      '<body><main class="content field-sw">' + body + "</main></body></html>",
    { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'self'; script-src 'none'; style-src 'self'" } },
  );
}

async function offlinePage() {
  const l = await lang();
  return page(l, say(l, "sw.offline_page"), '<p id="lz-offline-page">' + esc(say(l, "sw.offline_page")) + '</p><p><a href="/field">' + esc(say(l, "sw.back")) + "</a></p>");
}

// ---- the queue -----------------------------------------------------------------------------

const KIND = { report: "report", activity: "activity", checkin: "checkin", lead: "lead" };

function kindOf(path) {
  return KIND[path.slice(FIELD_POST.length)] || "other";
}

async function titleOf(back) {
  const hit = await (await caches.open(PAGES)).match(back).catch(() => null);
  if (!hit) return "";
  const m = (await hit.text()).match(/<h1 id="field-company"[^>]*>([^<]*)<\/h1>/);
  return m ? m[1] : "";
}

async function queuePost(req, url) {
  const params = new URLSearchParams(await req.text());
  const kind = kindOf(url.pathname);
  // The moment of the tap is the check-in's time, however late it is sent.
  if (kind === "checkin" && !params.get("form[phone_time]")) params.set("form[phone_time]", new Date().toISOString());
  const visit = params.get("visit_id");
  const back = visit ? "/field/visits/" + visit : kind === "lead" ? "/field" : sameOrigin(req.referrer) || "/field";
  const name = kind === "lead" ? params.get("form[company_name]") || "" : await titleOf(back);
  const user = await currentUser();
  return enqueue({ key: self.crypto.randomUUID(), url: url.pathname, body: params.toString(), kind, back, name, user, queuedAt: Date.now(), status: "pending" });
}

// Photos and voice notes: a photo is shrunk on the phone (≤ 500 KB, its location data gone with
// the re-encoding); a recording goes as it was made.
async function queueFiles(req, url, visit) {
  const form = await req.formData();
  const back = "/field/visits/" + visit;
  const picked = form.getAll("file").filter((f) => f && typeof f === "object" && f.size > 0);
  if (!picked.length) return see(back);
  const files = [];
  for (const f of picked) files.push(f.type.startsWith("image/") ? await shrink(f) : f);
  const user = await currentUser();
  return enqueue({ key: self.crypto.randomUUID(), url: url.pathname, files, kind: "attachment", back, name: await titleOf(back), user, queuedAt: Date.now(), status: "pending" });
}

const PHOTO_MAX_BYTES = 500 * 1024;
const PHOTO_MAX_SIDE = 1600;

async function shrink(file) {
  try {
    const bitmap = await createImageBitmap(file);
    let scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    let quality = 0.82;
    let blob = file;
    for (let i = 0; i < 8; i++) {
      const w = Math.max(1, Math.round(bitmap.width * scale));
      const h = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = new OffscreenCanvas(w, h);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, w, h);
      blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
      if (blob.size <= PHOTO_MAX_BYTES) break;
      if (quality > 0.5) quality -= 0.12;
      else scale *= 0.75;
    }
    bitmap.close();
    return blob;
  } catch (e) {
    return file; // a format this browser cannot decode: the server decides
  }
}

async function enqueue(item) {
  item.id = await putItem(item);
  if (self.registration.sync) self.registration.sync.register("lz-sync").catch(() => {});
  await flush().catch(() => {});
  const after = await getItem(item.id).catch(() => null);
  const l = await lang();
  if (!after) {
    await setMeta("notice", say(l, "sw.saved"));
    return see(item.back);
  }
  if (after.status === "failed") return see("/field/outbox");
  await setMeta("notice", say(l, "sw.queued"));
  return see(item.back);
}

function sameOrigin(href) {
  try {
    const u = new URL(href);
    return u.origin === self.location.origin ? u.pathname + u.search : "";
  } catch (e) {
    return "";
  }
}

let flushing = null;

// Sends the queue in order, one at a time. Stops at the first item that could not reach the
// server (no signal, server trouble, signed out); a refused item is marked with its reasons and
// the rest go on.
function flush() {
  if (!flushing) flushing = sendAll().finally(() => { flushing = null; });
  return flushing;
}

// Only the signed-in user's items go: a phone that changes hands keeps the first user's until they
// sign in again.
async function sendAll() {
  const user = await currentUser();
  if (!user) return;
  // An item queued before the worker knew who was signed in belongs to whoever is now.
  const items = (await allItems()).filter((i) => i.status !== "failed" && (i.user || user) === user).sort((a, b) => a.id - b.id);
  for (const item of items) {
    let res;
    try {
      let body, headers = { accept: "application/json" };
      if (item.files) {
        body = new FormData();
        item.files.forEach((f, i) => body.append("file", f, (f.type.startsWith("image/") ? "photo-" : "voice-") + i));
        body.append("idem", item.key);
      } else {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = item.body + "&idem=" + encodeURIComponent(item.key);
      }
      res = await fetch(item.url, { method: "POST", credentials: "same-origin", redirect: "manual", headers, body });
    } catch (e) {
      return; // no signal: try again later
    }
    item.user = user;
    if (res.ok) {
      await deleteItem(item.id);
      await setMeta("lastSync", Date.now());
      continue;
    }
    if (res.status === 401 || res.status >= 500 || res.status === 0 || res.status === 408 || res.status === 429) {
      item.lastStatus = res.status;
      await putItem(item);
      return; // try again later, in order
    }
    item.status = "failed";
    item.lastStatus = res.status;
    item.reasons = await explain(await res.text().catch(() => ""));
    await putItem(item);
  }
}

async function explain(errorJson) {
  try {
    const res = await fetch(FIELD_POST + "explain", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ error: errorJson }).toString(),
    });
    return res.ok ? await res.json() : [];
  } catch (e) {
    return [];
  }
}

async function editItem(id, action, req) {
  const item = await getItem(id);
  if (!item) return see("/field/outbox");
  if (action === "delete") {
    await deleteItem(id);
    return see("/field/outbox");
  }
  // Resend with what the user corrected: a new key, the same place in the queue's order.
  const edited = new URLSearchParams(await req.text());
  if (!item.files) item.body = edited.toString();
  item.key = self.crypto.randomUUID();
  item.status = "pending";
  item.reasons = [];
  await putItem(item);
  await flush().catch(() => {});
  return see("/field/outbox");
}

// ---- the outbox page -----------------------------------------------------------------------

const HIDDEN = new Set(["visit_id", "lead_id", "form[phone_time]", "form[lat]", "form[lng]", "form[accuracy]", "form[kind]", "form[move_to]", "form[intention]", "form[region_code]", "form[industry]"]);

function fieldsOf(item, l) {
  if (item.files) return '<p class="muted">' + item.files.map((f) => esc(f.type || "?") + " " + Math.ceil(f.size / 1024) + " KB").join(" · ") + "</p>";
  return [...new URLSearchParams(item.body)].map(([k, v]) => {
    const bare = k.replace(/^form\[(.*)\]$/, "$1");
    if (HIDDEN.has(k)) return '<input type="hidden" name="' + esc(k) + '" value="' + esc(v) + '">';
    const label = say(l, "sync.field." + bare);
    const input = v.length > 60 || bare === "learned" || bare === "summary" || bare === "notes"
      ? '<textarea name="' + esc(k) + '" rows="4">' + esc(v) + "</textarea>"
      : '<input name="' + esc(k) + '" value="' + esc(v) + '">';
    return "<label>" + esc(label.startsWith("sync.field.") ? bare : label) + input + "</label>";
  }).join("");
}

async function outboxPage() {
  const l = await lang();
  const user = await currentUser();
  const items = (await allItems().catch(() => [])).filter((i) => (i.user || user) === user).sort((a, b) => a.id - b.id);
  const last = await getMeta("lastSync").catch(() => null);
  const rows = items.map((i) => {
    const head = '<h2>' + esc(say(l, "sw.kind." + i.kind)) + (i.name ? " · " + esc(i.name) : "") + "</h2>" +
      '<p class="muted">' + esc(say(l, "sw.queued_at")) + " " + esc(when(i.queuedAt, l)) + (i.lastStatus ? " · " + esc(say(l, "sw.status." + (i.lastStatus >= 500 ? 500 : i.lastStatus))) : "") + "</p>";
    if (i.status !== "failed") return '<article class="card outbox-item" data-status="pending">' + head + "</article>";
    const reasons = (i.reasons || []).map((r) => "<li>" + esc(r) + "</li>").join("");
    return '<article class="card outbox-item" data-status="failed">' + head +
      '<p class="status status-warn">' + esc(say(l, "sw.reason")) + "</p><ul class=\"outbox-reasons\">" + reasons + "</ul>" +
      '<form method="post" action="/sw/outbox/' + i.id + '/resend">' + fieldsOf(i, l) + '<button type="submit" class="primary">' + esc(say(l, "sw.retry")) + "</button></form>" +
      '<form method="post" action="/sw/outbox/' + i.id + '/delete"><button type="submit" class="danger">' + esc(say(l, "sw.delete")) + "</button></form></article>";
  });
  const body = '<p><a href="/field">' + esc(say(l, "sw.back")) + "</a></p><h1>" + esc(say(l, "sw.outbox")) + "</h1>" +
    '<p class="muted" id="lz-last-sync">' + esc(say(l, "sw.last_sync")) + " " + esc(last ? when(last, l) : say(l, "sw.never")) + "</p>" +
    (items.length ? rows.join("") : '<p class="muted" id="lz-outbox-empty">' + esc(say(l, "sw.outbox_empty")) + "</p>") +
    '<form method="post" action="/sw/sync"><button type="submit" id="lz-sync-now">' + esc(say(l, "sw.sync_now")) + "</button></form>";
  return page(l, say(l, "sw.outbox"), body);
}

// ---- take the week along -------------------------------------------------------------------

async function takeWeek() {
  const l = await lang();
  try {
    const week = await fetchPage("/field");
    const html = await week.clone().text();
    const m = html.match(/data-visits="([^"]*)"/);
    const ids = m && m[1] ? m[1].split(",").filter((s) => /^\d+$/.test(s)) : [];
    const cache = await caches.open(PAGES);
    await cache.put("/field", week);
    const u = html.match(SLOT);
    if (u) await setMeta("user", u[1]);
    let n = 1;
    for (const path of ["/field/leads/new"].concat(ids.map((id) => "/field/visits/" + id))) {
      const res = await fetchPage(path).catch(() => null);
      if (res) { await cache.put(path, res); n += 1; }
    }
    await caches.open(SHELL).then((c) => c.addAll(LZ.assets)).catch(() => {});
    await setMeta("takenAt", Date.now());
    await setMeta("notice", say(l, "sw.taken", { n }));
  } catch (e) {
    await setMeta("notice", say(l, "sw.take_failed"));
  }
  return see("/field");
}

// Signing out: the pages of this user leave the phone (the queue stays, sent when its author
// signs in again).
async function forgetPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("lz-pages-")).map((n) => caches.delete(n)));
}
