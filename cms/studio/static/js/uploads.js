// Uploads from the studio go straight to /graphql as GraphQL multipart requests (operations,
// map, the file), sent with XMLHttpRequest because fetch reports no upload progress. Each
// carries the Apollo-Require-Preflight header (uploads' CSRF protection) and the session's
// X-CSRF-Token. The document and the server's limits are in #upload-config
// (media/_upload_config.html.j2). Refusals come back as typed payload errors, told here in
// plain words, one file at a time.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("upload-config").textContent);

  function formatSize(bytes) {
    if (bytes < 1000) return bytes + " bytes";
    if (bytes < 1000000) return Math.round(bytes / 1000) + " KB";
    return (bytes / 1000000).toFixed(1) + " MB";
  }

  function tooLarge(file) {
    return (
      "Too large: " + file.name + " is " + formatSize(file.size) +
      "; files of up to " + formatSize(config.maxBytes) + " are accepted."
    );
  }

  // The payload's typed error (or the HTTP refusal) in plain words.
  function describe(code, message, file) {
    if (code === "FILE_TOO_LARGE") return tooLarge(file);
    if (code === "UNSUPPORTED_TYPE") {
      return (
        "Not a type we accept (we look at what the file contains, not at its name): " +
        "the upload zone lists those we do."
      );
    }
    if (code === "TOO_MANY_PIXELS") return "Too many pixels. " + message;
    if (code === "TOO_MANY_FRAMES") return "Too many frames. " + message;
    if (code === "INVALID") return "The image is damaged or cut short. " + message;
    if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
      return "You are signed out: sign in again in another tab, then upload it again.";
    }
    return message || "The server refused the file.";
  }

  function outcome(xhr, file) {
    if (xhr.status === 413) return { error: tooLarge(file) };
    const body = xhr.response || {};
    const payload = body.data && body.data.uploadAsset;
    if (payload && payload.asset) return { asset: payload.asset };
    const errors = (payload && payload.errors && payload.errors.length && payload.errors) ||
      body.errors || [{ message: "The server answered " + xhr.status + "." }];
    const first = errors[0];
    const code = first.code || (first.extensions && first.extensions.code);
    return { error: describe(code, first.message, file) };
  }

  // Upload one file; onProgress(fraction) as it is sent. Resolves to {asset} or {error}.
  function upload(file, onProgress) {
    return new Promise(function (resolve) {
      if (file.size > config.maxBytes) {
        resolve({ error: tooLarge(file) });
        return;
      }
      const form = new FormData();
      form.append("operations", JSON.stringify({ query: config.document, variables: { file: null } }));
      form.append("map", JSON.stringify({ 0: ["variables.file"] }));
      form.append("0", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", config.endpoint);
      xhr.responseType = "json";
      xhr.setRequestHeader("Apollo-Require-Preflight", "true");
      xhr.setRequestHeader("X-CSRF-Token", window.Studio.csrfToken());
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      xhr.addEventListener("load", function () {
        onProgress(1);
        resolve(outcome(xhr, file));
      });
      xhr.addEventListener("error", function () {
        resolve({ error: "Not uploaded: the connection failed. Try again." });
      });
      xhr.send(form);
    });
  }

  // A row showing one upload: name, progress bar, then the result or the error beside it.
  function progressRow(file) {
    const item = document.createElement("li");
    item.className = "upload";
    item.dataset.state = "sending";
    const name = document.createElement("span");
    name.className = "upload__name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.className = "upload__progress";
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    const status = document.createElement("p");
    status.className = "upload__status";
    status.setAttribute("role", "status");
    status.textContent = "Uploading… (" + formatSize(file.size) + ")";
    item.append(name, bar, status);
    return {
      item: item,
      progress: function (fraction) {
        bar.value = Math.round(fraction * 100);
      },
      finish: function (result) {
        item.dataset.state = result.asset ? "done" : "error";
        status.textContent = "";
        if (result.error) {
          status.setAttribute("role", "alert");
          status.textContent = "Not uploaded. " + result.error;
          return;
        }
        const image = result.asset.image;
        status.append(document.createTextNode("Uploaded. "));
        const link = document.createElement("a");
        link.href = config.libraryPath + "/" + encodeURIComponent(result.asset.id);
        link.textContent = image && !image.alt && !image.decorative ? "Add alt text" : "Edit details";
        const whose = document.createElement("span");
        whose.className = "visually-hidden";
        whose.textContent = " to " + file.name;
        link.append(whose);
        status.append(link);
      },
    };
  }

  window.StudioUploads = {
    upload: upload,
    progressRow: progressRow,
    accepts: config.accept,
  };
})();
