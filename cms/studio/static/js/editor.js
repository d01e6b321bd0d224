// The page editor: the page's fields, the section tree (section-tree.js) with a Markdown
// editor per section (markdown.js), autosave (autosave.js), the live preview beside it,
// who else has the page open, and the publishing forms (which save first).
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const announcer = document.getElementById("announcer");
  const treeRoot = document.getElementById("section-tree");
  const preview = document.getElementById("preview");
  const presence = document.getElementById("presence");
  const editors = new Map(); // section item → EasyMDE
  // randomUUID needs a secure context (HTTPS or localhost); a plain-HTTP studio still works.
  const clientId = window.crypto.randomUUID
    ? window.crypto.randomUUID()
    : Date.now().toString(36) + Math.random().toString(36).slice(2);
  let nextTempId = 1;

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function findItem(id) {
    return treeRoot.querySelector('li.section-item[data-id="' + CSS.escape(id) + '"]');
  }

  function cardOf(item) {
    return item.querySelector(":scope > .section-card");
  }

  // --- The working copy, as autosave sends it ------------------------------------------------

  function snapshot() {
    const sections = Array.prototype.map.call(
      treeRoot.querySelectorAll("li.section-item"),
      function (item) {
        const editor = editors.get(item);
        const place = tree.placeOf(item);
        return {
          id: item.dataset.id,
          title: cardOf(item).querySelector(".section-title").value,
          body: editor ? editor.value() : cardOf(item).querySelector(".section-body").value,
          parentId: place.parentId,
          position: place.position,
        };
      }
    );
    return {
      page: {
        title: document.getElementById("page-title").value,
        slug: document.getElementById("page-slug").value,
        summary: document.getElementById("page-summary").value,
        commentsOpen: document.getElementById("page-comments-open").checked,
        coverImageId: document.getElementById("page-coverImageId").value,
      },
      sections: sections,
    };
  }

  // --- The live preview: the reader site's rendering of the saved working copy ---------------

  function refreshPreview() {
    const scroll = preview.contentWindow ? preview.contentWindow.scrollY : 0;
    preview.addEventListener(
      "load",
      function () {
        if (preview.contentWindow) preview.contentWindow.scrollTo(0, scroll);
      },
      { once: true }
    );
    preview.src = config.previewPath + "?version=" + autosave.state.version;
  }

  const autosave = window.StudioAutosave.create({
    savePath: config.savePath,
    version: config.version,
    snapshot: snapshot,
    findItem: findItem,
    onSaved: refreshPreview,
  });

  // --- Sections ------------------------------------------------------------------------------

  const tree = window.SectionTree.create(treeRoot, {
    maxDepth: config.maxDepth,
    onMove: function (item, place, description) {
      autosave.changed("operation", {
        op: "move",
        id: item.dataset.id,
        parentId: place.parentId,
        position: place.position,
      });
      announce(description);
    },
  });

  function attachEditor(item) {
    const textarea = cardOf(item).querySelector(".section-body");
    const title = cardOf(item).querySelector(".section-title");
    const editor = window.StudioMarkdown.create(textarea, title, function (markdownEditor) {
      window.StudioImagePicker.insertInto(markdownEditor, item);
    });
    window.StudioImagePicker.attach(editor, item);
    editors.set(item, editor);
    editor.codemirror.on("change", function () {
      autosave.changed("section", item);
    });
    title.addEventListener("input", function () {
      autosave.changed("section", item);
    });
  }

  function addSection(list) {
    const fragment = document.getElementById("section-template").content.cloneNode(true);
    const item = fragment.querySelector("li.section-item");
    const tempId = "new-" + nextTempId++;
    item.dataset.id = tempId;
    item.querySelectorAll("[id]").forEach(function (element) {
      element.id = element.id.replace("__ID__", tempId);
    });
    item.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace("__ID__", tempId);
    });
    list.appendChild(item);
    tree.adopt(item);
    attachEditor(item);
    const place = tree.placeOf(item);
    autosave.changed("operation", {
      op: "add",
      tempId: tempId,
      parentId: place.parentId,
      position: place.position,
    });
    cardOf(item).querySelector(".section-title").focus();
    announce("Section added.");
  }

  function deleteSection(item) {
    const name = window.SectionTree.titleOf(item);
    if (!window.confirm("Delete “" + name + "” and everything nested in it?")) return;
    const next =
      item.nextElementSibling || item.previousElementSibling || item.parentElement.closest("li");
    [item].concat(Array.from(item.querySelectorAll("li.section-item"))).forEach(function (gone) {
      editors.delete(gone);
      autosave.forget(gone);
    });
    const id = item.dataset.id;
    item.remove();
    tree.refresh();
    autosave.changed("operation", { op: "delete", id: id });
    (next ? cardOf(next).querySelector(".section-title") : document.getElementById("add-section")).focus();
    announce("“" + name + "” deleted.");
  }

  treeRoot.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest("li.section-item");
    const action = button.dataset.action;
    if (action === "delete") return deleteSection(item);
    if (action === "add-child") return addSection(tree.childList(item));
    tree.move(item, action);
    // The button may now be disabled (moved to the top): keep the focus in the section.
    const focusable = button.disabled
      ? cardOf(item).querySelector("[data-action]:not(:disabled)")
      : button;
    if (focusable) focusable.focus();
  });

  document.getElementById("add-section").addEventListener("click", function () {
    addSection(treeRoot);
  });

  // --- Page fields, the note for the history, the publishing forms ---------------------------

  document.querySelectorAll("#page-fields [data-field]").forEach(function (input) {
    input.addEventListener(input.type === "checkbox" ? "change" : "input", function () {
      autosave.changed("field", input.dataset.field);
    });
  });
  window.StudioImagePicker.cover(function () {
    autosave.changed("field", "coverImageId");
  });
  document.getElementById("page-fields").addEventListener("submit", function (event) {
    event.preventDefault();
    autosave.save();
  });

  document.getElementById("save-note").addEventListener("submit", function (event) {
    event.preventDefault();
    const input = document.getElementById("save-message");
    autosave.changed("message", input.value.trim() || "Saved.");
    input.value = "";
    autosave.save();
  });

  // Publish, schedule and the rest act on the saved page: save first, send its version.
  document.querySelectorAll("form[data-flush]").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const question = form.dataset.flushConfirm;
      if (!form.reportValidity() || (question && !window.confirm(question))) return;
      if (!(await autosave.flush())) return;
      const version = form.querySelector('input[name="version"]');
      if (version) version.value = String(autosave.state.version);
      autosave.state.leaving = true;
      form.submit();
    });
  });

  // --- Who else has the page open --------------------------------------------------------------

  async function heartbeat() {
    try {
      const response = await autosave.post(config.presencePath, { clientId: clientId });
      const names = ((await response.json()).others || []).map(function (other) {
        return other.sameUser ? other.name + " (you, in another window)" : other.name;
      });
      presence.hidden = names.length === 0;
      presence.textContent = names.length ? "Also editing this page: " + names.join(", ") : "";
    } catch (error) {
      presence.hidden = true;
    }
  }

  window.addEventListener("pagehide", function () {
    autosave
      .post(config.presencePath, { clientId: clientId, leave: true }, { keepalive: true })
      .catch(function () {});
  });

  // A notice of what the last action did (?done=…) is shown once, not again on a reload.
  const address = new URL(window.location.href);
  if (address.searchParams.has("done")) {
    address.searchParams.delete("done");
    window.history.replaceState(null, "", address.pathname + address.search);
  }

  treeRoot.querySelectorAll("li.section-item").forEach(attachEditor);
  document.documentElement.dataset.editor = "ready";
  heartbeat();
  window.setInterval(heartbeat, config.heartbeatSeconds * 1000);
})();
