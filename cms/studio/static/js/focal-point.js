// The asset page's focal point: click or tap the image where its subject is; the marker
// moves there and the two percent fields (the keyboard's way to set it) follow, and typing
// in them moves the marker. Saving the form keeps it.
(function () {
  "use strict";

  const frame = document.getElementById("focal-frame");
  if (!frame) return;
  const image = document.getElementById("asset-image");
  const marker = document.getElementById("focal-marker");
  const status = document.getElementById("focal-status");
  const x = document.getElementById("focal_x");
  const y = document.getElementById("focal_y");
  const none = document.getElementById("clear_focal_point");

  function percent(input) {
    const value = parseFloat(input.value.replace(",", "."));
    return value >= 0 && value <= 100 ? value : NaN;
  }

  function showMarker() {
    const left = percent(x);
    const top = percent(y);
    const shown = !none.checked && !Number.isNaN(left) && !Number.isNaN(top);
    marker.hidden = !shown;
    if (shown) {
      marker.style.left = left + "%";
      marker.style.top = top + "%";
    }
  }

  function clamp(value) {
    return Math.min(100, Math.max(0, Math.round(value * 1000) / 10));
  }

  image.addEventListener("click", function (event) {
    const box = image.getBoundingClientRect();
    x.value = String(clamp((event.clientX - box.left) / box.width));
    y.value = String(clamp((event.clientY - box.top) / box.height));
    none.checked = false;
    showMarker();
    status.textContent =
      "Focal point set " + x.value + "% from the left, " + y.value + "% from the top. Save to keep it.";
  });
  [x, y].forEach(function (input) {
    input.addEventListener("input", showMarker);
  });
  none.addEventListener("change", showMarker);
  frame.classList.add("focal-frame--active");
  showMarker();
})();
