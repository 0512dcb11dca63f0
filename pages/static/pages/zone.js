// Tells the service the browser's time zone in a cookie, so that pages show times there unless
// the viewer picks another zone. A page drawn before the service knew it (the <html> element
// says `data-zone="guessed"`) is drawn again once, if the cookie took.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) {
    return;
  }
  var cookie = "tz=" + encodeURIComponent(zone);
  if (document.cookie.split("; ").indexOf(cookie) !== -1) {
    return;
  }
  document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax";
  var took = document.cookie.split("; ").indexOf(cookie) !== -1;
  if (took && document.documentElement.dataset.zone === "guessed") {
    window.location.reload();
  }
})();
