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
// The rest of the worker follows: store.js, pages.js, queue.js, outbox.js (one script, joined by
// the server in that order).
