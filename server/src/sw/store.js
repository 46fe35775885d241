// The worker's storage (IndexedDB: the queue and a few facts) and its text.

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
  // A count of one takes the key's `.one` form where there is one (English: "1 page"), as the
  // app's own tr_args does.
  const a = args || {};
  const one = (a.n === 1 || a.count === 1) && LZ.text[l] && LZ.text[l][key + ".one"];
  let s = one || (LZ.text[l] && LZ.text[l][key]) || (LZ.text["zh-CN"] && LZ.text["zh-CN"][key]) || key;
  for (const [k, v] of Object.entries(a)) s = s.replace("{" + k + "}", String(v));
  return s;
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// A moment as the app writes it in both languages: 2026-12-07 09:30, Asia/Shanghai (the browser's
// own zh-CN form is 2026/12/07 09:30).
function when(ms, l) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
}
