// Install and update, routing, and the field pages: from the network, else from the phone.

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
    if (url.pathname === "/logout") {
      confirmed = { user: "", at: 0 };
      event.waitUntil(setMeta("user", "").then(forgetPages));
    }
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
  // Rejecting tells the browser to try again later (no signal yet).
  if (event.tag === "lz-sync") event.waitUntil(flush().then((r) => { if (r === "offline") throw new Error("no signal"); }));
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

// The server's headers (its CSP with the page's nonce, the frame and permission rules) for a page
// the worker rewrites: the body is decoded and changes length.
function pageHeaders(from) {
  const headers = new Headers(from);
  headers.delete("content-encoding");
  headers.delete("content-length");
  headers.set("cache-control", "no-store");
  return headers;
}

async function fieldPage(req, url) {
  const key = url.pathname + url.search;
  const cache = await caches.open(PAGES);
  let html, headers, offline = false, status = 200;
  try {
    const res = await withTimeout(fetch(req), NETWORK_WAIT_MS);
    if (res.redirected || !res.ok || !(res.headers.get("content-type") || "").includes("text/html")) return res;
    html = await res.text();
    status = res.status;
    headers = pageHeaders(res.headers);
    await cache.put(url.pathname, new Response(html, { headers }));
    const m = html.match(/<html lang="([^"]+)"/);
    if (m) await setMeta("lang", m[1]);
    const u = html.match(SLOT);
    if (u) await setMeta("user", u[1]);
  } catch (e) {
    const hit = (await cache.match(key)) || (await cache.match(url.pathname));
    if (!hit) return offlinePage();
    html = await hit.text();
    headers = pageHeaders(hit.headers);
    offline = true;
  }
  return new Response(await withBanner(html, offline), { status, headers });
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
  counts.push('<span id="lz-last-sync">' + esc(last ? say(l, "sw.last_sync") + " " + when(last, l) : say(l, "sw.never")) + "</span>");
  parts.push('<p class="outbox-status">' + counts.join(" · ") + ' · <a href="/field/outbox">' + esc(say(l, "sw.view")) + "</a></p>");
  const banner = '<div id="lz-outbox" class="outbox-slot" data-pending="' + pending + '" data-failed="' + failed + '">' + parts.join("") + "</div>";
  return html.replace(SLOT, banner);
}

function page(l, title, body) {
  const css = LZ.assets.find((a) => a.endsWith(".css"));
  return new Response(
    '<!DOCTYPE html><html lang="' + esc(l) + '"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<link rel="stylesheet" href="' + esc(css) + '"><link rel="manifest" href="/manifest.webmanifest"><link rel="icon" type="image/svg+xml" href="/favicon.svg"><title>' + esc(title) + "</title></head>" +
      // The app's top bar (brand and the week's page) and its page margins: the worker's pages
      // are the app's, not a bare document.
      '<body><header class="topbar"><a class="brand" href="/">' + esc(say(l, "sw.brand")) + '</a><a href="/field">' + esc(say(l, "sw.week")) + "</a></header>" +
      '<main class="page field-sw">' + body + "</main></body></html>",
    { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'self'; script-src 'none'; style-src 'self'" } },
  );
}

async function offlinePage() {
  const l = await lang();
  return page(l, say(l, "sw.offline_page"), '<p id="lz-offline-page">' + esc(say(l, "sw.offline_page")) + '</p><p><a href="/field">' + esc(say(l, "sw.back")) + "</a></p>");
}
