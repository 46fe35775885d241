// Installs the service worker (/sw.js): the field pages open without a signal, and what is sent
// meanwhile waits on the phone. Browsers without service workers use the plain pages.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
}
// The queue goes whenever the app opens and whenever the signal returns (Safari and Firefox have
// no Background Sync).
if ("serviceWorker" in navigator) {
  var lzSync = function () {
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("sync");
  };
  window.addEventListener("online", lzSync);
  window.addEventListener("load", lzSync);
}
