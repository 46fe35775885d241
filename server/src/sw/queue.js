// The queue: what is sent from a field page waits here and goes in order, once.

// ---- the queue -----------------------------------------------------------------------------

const KIND = { report: "report", activity: "activity", checkin: "checkin", lead: "lead", "lead-notes": "lead_notes" };

function kindOf(path) {
  return KIND[path.slice(FIELD_POST.length)] || "other";
}

async function titleOf(back) {
  const hit = await (await caches.open(PAGES)).match(back).catch(() => null);
  if (!hit) return "";
  const m = (await hit.text()).match(/<h1 id="field-company"[^>]*>([^<]*)<\/h1>/);
  // The page's text is HTML-escaped; the item keeps it plain (escaped again where shown).
  const plain = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };
  return m ? m[1].replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => plain[e]) : "";
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

// The server's last answer to "who is signed in" (forgotten at sign-out).
let confirmed = { user: "", at: 0 };
const CONFIRMED_MS = 10 * 60 * 1000;

// Who the server says is signed in: the id, "" when no one is, null without a signal. On a weak
// signal whose answers get lost, a confirmation of the last ten minutes stands in.
async function signedIn() {
  try {
    const res = await fetch(FIELD_POST + "me", { method: "POST", credentials: "same-origin", headers: { accept: "application/json" } });
    if (res.status === 401) {
      confirmed = { user: "", at: 0 };
      return "";
    }
    if (res.ok) {
      confirmed = { user: String(await res.json()), at: Date.now() };
      return confirmed.user;
    }
  } catch (e) {
    // no answer: below
  }
  return confirmed.user && Date.now() - confirmed.at < CONFIRMED_MS ? confirmed.user : null;
}

// A server error this many times on one item marks it failed, so it cannot hold up the rest.
const MAX_TRIES = 3;

// Only the signed-in user's items go (asked of the server each time, not remembered): a phone
// that changes hands keeps the first user's until they sign in again. "offline" when the server
// could not be reached (Background Sync then tries again).
async function sendAll() {
  const user = await signedIn();
  if (user === null) return "offline";
  await setMeta("user", user);
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
      return "offline"; // no signal: try again later
    }
    item.user = user;
    if (res.ok) {
      await deleteItem(item.id);
      await setMeta("lastSync", Date.now());
      continue;
    }
    if (res.status === 401 || res.status === 0) {
      item.lastStatus = res.status;
      await putItem(item);
      return; // signed out (or redirected): try again later, in order
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      item.lastStatus = res.status;
      item.tries = (item.tries || 0) + 1;
      if (item.tries < MAX_TRIES) {
        await putItem(item);
        return; // server trouble: try again later, in order
      }
      item.status = "failed";
      item.reasons = [say(await lang(), "sw.server_failed")];
      await putItem(item);
      continue;
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
  // Resend with what the user corrected: a new key (files keep theirs: those already kept are not
  // kept twice), the same place in the queue's order.
  const edited = new URLSearchParams(await req.text());
  // After a conflict the user has seen what changed on the server: their text wins now.
  if (item.lastStatus === 409) edited.delete("version");
  if (!item.files) item.body = edited.toString();
  if (!item.files) item.key = self.crypto.randomUUID();
  item.tries = 0;
  item.status = "pending";
  item.reasons = [];
  await putItem(item);
  await flush().catch(() => {});
  return see("/field/outbox");
}
