// The media library's upload zone: drop images on it (several at once) or choose them with
// its button. Each file gets its own row with a progress bar and its result or error; new
// uploads appear in the grid, which htmx reloads (the "uploaded" trigger on #media-grid).
(function () {
  "use strict";

  const zone = document.getElementById("upload-zone");
  const input = document.getElementById("upload-input");
  const list = document.getElementById("upload-list");

  function refreshGrid() {
    const grid = document.getElementById("media-grid");
    if (grid && window.htmx) window.htmx.trigger(grid, "uploaded");
  }

  function uploadAll(files) {
    if (!files.length) return;
    list.hidden = false;
    const uploads = Array.from(files).map(function (file) {
      const row = window.StudioUploads.progressRow(file);
      list.prepend(row.item);
      return window.StudioUploads.upload(file, row.progress).then(function (result) {
        row.finish(result);
        return result;
      });
    });
    // One refresh when the batch is done: the grid then has every new file.
    Promise.all(uploads).then(function (results) {
      if (results.some(function (result) { return result.asset; })) refreshGrid();
    });
  }

  function carriesFiles(event) {
    return event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("is-dragging");
    });
  });
  zone.addEventListener("dragleave", function (event) {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("is-dragging");
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("is-dragging");
    uploadAll(event.dataTransfer.files);
  });
  // A file dropped next to the zone must not replace the page with the file.
  ["dragover", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (carriesFiles(event) && !zone.contains(event.target)) event.preventDefault();
    });
  });

  input.disabled = false;
  input.addEventListener("change", function () {
    uploadAll(input.files);
    input.value = "";
  });
})();
