// The publishing panel: the schedule form in the browser's time zone (shown next to the
// picker and sent with it), scheduled times in local time, and the preview link's Copy.
(function () {
  "use strict";

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  function offsetName(date) {
    const part = new Intl.DateTimeFormat("en", { timeZoneName: "longOffset" })
      .formatToParts(date)
      .find(function (item) {
        return item.type === "timeZoneName";
      });
    return part ? part.value : "";
  }

  const zoneInput = document.getElementById("schedule-timezone");
  if (zoneInput) {
    zoneInput.value = zone;
    document.querySelectorAll("[data-timezone-label]").forEach(function (label) {
      label.textContent = zone + " (" + offsetName(new Date()) + ")";
    });
    const picker = document.getElementById("schedule-at");
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    soon.setMinutes(0, 0, 0);
    const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60000);
    picker.min = new Date(Date.now() - new Date().getTimezoneOffset() * 60000)
      .toISOString()
      .slice(0, 16);
    if (!picker.value) picker.value = local.toISOString().slice(0, 16);
  }

  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[data-local-time]").forEach(function (time) {
    const moment = new Date(time.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) {
      time.textContent = format.format(moment) + " (" + zone + ")";
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    input.select();
    const done = function () {
      button.textContent = "Copied";
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done, function () {});
    }
  });
})();
