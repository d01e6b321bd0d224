// Images in the page editor: the picker dialog (a searchable page of the media library) that
// inserts ![alt](asset:ID "caption") at a section's cursor or sets the page's cover; and image
// files dropped or pasted on a section's text, uploaded (js/uploads.js) with their progress
// shown under it, then inserted where they were dropped. An image without alt text is
// inserted with a plain warning; as a cover it is refused (the API would refuse it too).
(function () {
  "use strict";

  const PICKER_PATH = "/studio/media/picker";
  const dialog = document.getElementById("image-picker");
  const heading = document.getElementById("picker-title");
  const results = document.getElementById("picker-results");
  const search = document.getElementById("picker-search");
  const query = document.getElementById("picker-q");
  const message = document.getElementById("picker-message");
  let choose = null; // what choosing an image does: insert it, or make it the cover
  let returnFocus = null;

  function unlabelled(image) {
    return !image.alt && !image.decorative;
  }

  function noAltWarning(image) {
    return (
      "“" + image.name + "” has no alt text yet: write what it shows between the square " +
      "brackets ![…], or describe it in the media library. Until then the page cannot " +
      "be published: screen readers could not tell readers what it is."
    );
  }

  function figureMarkdown(image) {
    const alt = image.alt.replace(/[\\\]\[]/g, "\\$&").replace(/\s+/g, " ");
    const caption = image.caption.replace(/["\\]/g, "\\$&").replace(/\s+/g, " ");
    return "![" + alt + "](asset:" + image.id + (caption ? ' "' + caption + '"' : "") + ")";
  }

  function hasText(codemirror, line) {
    const text = codemirror.getLine(line);
    return text !== undefined && text.trim() !== "";
  }

  // A figure is a paragraph of its own: it goes after the line the cursor (or the drop) is
  // on — never splitting it — or replaces that line if it is blank, with blank lines around.
  function insertAt(codemirror, position, image) {
    const line = position.line;
    const length = codemirror.getLine(line).length;
    const onText = hasText(codemirror, line);
    const before = onText ? "\n\n" : line > 0 && hasText(codemirror, line - 1) ? "\n" : "";
    const after = hasText(codemirror, line + 1) ? "\n" : "";
    const from = { line: line, ch: onText ? length : 0 };
    codemirror.replaceRange(before + figureMarkdown(image) + after, from, { line: line, ch: length });
  }

  function statusArea(item) {
    const card = item.querySelector(":scope > .section-card");
    let area = card.querySelector(":scope > .section-uploads");
    if (!area) {
      area = document.createElement("div");
      area.className = "section-uploads";
      const list = document.createElement("ol");
      list.className = "upload-list";
      list.setAttribute("aria-label", "Images added to this section");
      const warning = document.createElement("p");
      warning.className = "notice notice--error section-uploads__warning";
      warning.setAttribute("role", "alert");
      warning.hidden = true;
      area.append(list, warning);
      card.append(area);
    }
    return area;
  }

  function warn(item, text) {
    const warning = statusArea(item).querySelector(".section-uploads__warning");
    warning.textContent = text;
    warning.hidden = !text;
  }

  function chosenImage(button) {
    return {
      id: button.dataset.assetId,
      alt: button.dataset.alt,
      caption: button.dataset.caption,
      decorative: button.dataset.decorative === "true",
      name: button.dataset.name,
      thumbnail: button.querySelector(".asset-thumb"),
    };
  }

  async function load(url) {
    results.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      });
      if (!response.ok) throw new Error(String(response.status));
      results.innerHTML = await response.text();
    } catch (error) {
      results.textContent = "The library could not be loaded: are you still signed in?";
    }
    results.removeAttribute("aria-busy");
  }

  function open(title, onChoose) {
    heading.textContent = title;
    choose = onChoose;
    message.hidden = true;
    returnFocus = document.activeElement;
    dialog.showModal();
    query.focus();
    load(PICKER_PATH + "?q=" + encodeURIComponent(query.value.trim()));
  }

  search.addEventListener("submit", function (event) {
    event.preventDefault();
    load(PICKER_PATH + "?q=" + encodeURIComponent(query.value.trim()));
  });
  results.addEventListener("click", function (event) {
    const page = event.target.closest("[data-picker-page]");
    if (page) return load(page.dataset.pickerPage);
    const button = event.target.closest(".picker-item");
    if (!button || !choose) return;
    const refusal = choose(chosenImage(button));
    if (refusal) {
      message.textContent = refusal;
      message.hidden = false;
      return;
    }
    dialog.close();
  });
  dialog.querySelector("[data-picker-close]").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  });

  // The toolbar's "Image" button of one section's Markdown editor.
  function insertInto(editor, item) {
    const codemirror = editor.codemirror;
    open("Insert an image", function (image) {
      insertAt(codemirror, codemirror.getCursor(), image);
      warn(item, unlabelled(image) ? noAltWarning(image) : "");
      returnFocus = null;
      codemirror.focus();
      return null;
    });
  }

  function uploadInto(editor, item, files, position) {
    const codemirror = editor.codemirror;
    const list = statusArea(item).querySelector(".upload-list");
    files.forEach(function (file) {
      const row = window.StudioUploads.progressRow(file);
      list.append(row.item);
      const bookmark = codemirror.setBookmark(position, { insertLeft: true });
      window.StudioUploads.upload(file, row.progress).then(function (result) {
        row.finish(result);
        const at = bookmark.find();
        bookmark.clear();
        if (!result.asset) return;
        const image = Object.assign({ id: result.asset.id, name: result.asset.originalName }, result.asset.image);
        insertAt(codemirror, at || codemirror.getCursor(), image);
        warn(item, unlabelled(image) ? noAltWarning(image) : "");
      });
    });
  }

  function imageFiles(transfer) {
    return Array.from((transfer && transfer.files) || []).filter(function (file) {
      return file.type.startsWith("image/");
    });
  }

  // Image files dropped or pasted on a section's text are uploaded into it.
  function attach(editor, item) {
    editor.codemirror.on("drop", function (codemirror, event) {
      const files = imageFiles(event.dataTransfer);
      if (!files.length) return;
      event.preventDefault();
      const position = codemirror.coordsChar({ left: event.clientX, top: event.clientY });
      uploadInto(editor, item, files, position);
    });
    editor.codemirror.on("paste", function (codemirror, event) {
      const files = imageFiles(event.clipboardData);
      if (!files.length) return;
      event.preventDefault();
      uploadInto(editor, item, files, codemirror.getCursor());
    });
  }

  // The page's cover: chosen in the picker (only an image with alt text or marked
  // decorative), or removed. onChange() tells autosave.
  function cover(onChange) {
    const input = document.getElementById("page-coverImageId");
    const preview = document.getElementById("cover-preview");
    const remove = document.getElementById("remove-cover");

    function show(image) {
      preview.replaceChildren();
      if (image) {
        preview.append(image.thumbnail.cloneNode(true));
      } else {
        const none = document.createElement("p");
        none.className = "muted";
        none.textContent = "No cover image.";
        preview.append(none);
      }
      remove.hidden = !image;
    }

    document.getElementById("choose-cover").addEventListener("click", function () {
      open("Choose the cover image", function (image) {
        if (unlabelled(image)) {
          return (
            "“" + image.name + "” has no alt text, and a cover needs it: describe the image " +
            "(or mark it decorative) in the media library first."
          );
        }
        input.value = image.id;
        show(image);
        onChange();
        return null;
      });
    });
    remove.addEventListener("click", function () {
      input.value = "";
      show(null);
      onChange();
      document.getElementById("choose-cover").focus();
    });
  }

  window.StudioImagePicker = { insertInto: insertInto, attach: attach, cover: cover };
})();
