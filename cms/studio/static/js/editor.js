// The page editor: a Markdown editor per section (EasyMDE), autosave of every change in
// batches (one request at a time, each naming the page version it started from), the
// saved/unsaved indicator, the conflict choice, presence and the live preview.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const SAVE_DELAY_MS = 800;
  const RETRY_DELAY_MS = 5000;
  const saveState = document.getElementById("save-state");
  const announcer = document.getElementById("announcer");
  const treeRoot = document.getElementById("section-tree");
  const conflictBox = document.getElementById("conflict");
  const preview = document.getElementById("preview");
  const editors = new Map(); // section item → EasyMDE
  const clientId =
    window.crypto && window.crypto.randomUUID
      ? window.crypto.randomUUID()
      : String(Date.now()) + String(Math.random()).slice(2);

  const state = {
    version: config.version,
    fields: new Set(),
    sections: new Set(), // items whose heading or text changed
    operations: [],
    message: null,
    inFlight: null, // the promise of the request being sent
    conflict: null, // the batch refused with a conflict
    timer: null,
    nextTempId: 1,
  };

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function setSaveState(kind, text) {
    saveState.dataset.state = kind;
    saveState.textContent = text;
  }

  function isDirty() {
    return Boolean(
      state.fields.size || state.sections.size || state.operations.length || state.message
    );
  }

  // --- The working copy as the server needs it -------------------------------------------

  function sectionValues(item) {
    const editor = editors.get(item);
    return {
      id: item.dataset.id,
      title: item.querySelector(":scope > .section-card .section-title").value,
      body: editor ? editor.value() : item.querySelector(".section-body").value,
    };
  }

  function pageValues() {
    return {
      title: document.getElementById("page-title").value,
      slug: document.getElementById("page-slug").value,
      summary: document.getElementById("page-summary").value,
      commentsOpen: document.getElementById("page-comments-open").checked,
    };
  }

  function allSections() {
    return Array.prototype.map.call(treeRoot.querySelectorAll("li.section-item"), function (item) {
      const values = sectionValues(item);
      const place = tree.placeOf(item);
      values.parentId = place.parentId;
      values.position = place.position;
      return values;
    });
  }

  function takeBatch() {
    const batch = {
      version: state.version,
      page: pageValues(),
      sections: allSections(),
      changedFields: Array.from(state.fields),
      changedSections: Array.from(state.sections).map(function (item) {
        return item.dataset.id;
      }),
      operations: state.operations,
      message: state.message,
    };
    state.fields = new Set();
    state.sections = new Set();
    state.operations = [];
    state.message = null;
    return batch;
  }

  // A batch that did not go through: its changes count as unsaved again.
  function giveBack(batch, appliedOperations) {
    batch.changedFields.forEach(function (name) {
      state.fields.add(name);
    });
    batch.changedSections.forEach(function (id) {
      const item = treeRoot.querySelector('li.section-item[data-id="' + CSS.escape(id) + '"]');
      if (item) state.sections.add(item);
    });
    state.operations = batch.operations.slice(appliedOperations || 0).concat(state.operations);
    state.message = state.message || batch.message;
  }

  // Sections added by a saved batch have real IDs now.
  function adoptIds(ids) {
    Object.keys(ids).forEach(function (tempId) {
      const item = treeRoot.querySelector('li.section-item[data-id="' + tempId + '"]');
      if (item) item.dataset.id = ids[tempId];
      state.operations.forEach(function (operation) {
        ["id", "parentId", "tempId"].forEach(function (key) {
          if (operation[key] === tempId) operation[key] = ids[tempId];
        });
      });
    });
  }

  // --- Saving ------------------------------------------------------------------------------

  function scheduleSave(delay) {
    if (state.conflict) return;
    setSaveState("unsaved", "Unsaved changes");
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(save, delay === undefined ? SAVE_DELAY_MS : delay);
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, window.Studio.csrfHeaders()),
      body: JSON.stringify(body),
    });
  }

  async function send(batch) {
    setSaveState("saving", "Saving…");
    let response;
    try {
      response = await post(config.savePath, batch);
    } catch (error) {
      giveBack(batch, 0);
      setSaveState("error", "Not saved: offline? Trying again…");
      scheduleSave(RETRY_DELAY_MS);
      return;
    }
    const result = await response.json().catch(function () {
      return {};
    });
    if (typeof result.version === "number") state.version = result.version;
    adoptIds(result.ids || {});
    clearFieldErrors();
    if (response.ok) {
      if (batch.keepMine) {
        window.location.reload();
        return;
      }
      setSaveState(isDirty() ? "unsaved" : "saved", isDirty() ? "Unsaved changes" : "All changes saved");
      refreshPreview();
    } else if (response.status === 409 && result.conflict) {
      showConflict(batch, result);
    } else {
      giveBack(batch, result.appliedOperations);
      (result.errors || []).forEach(showFieldError);
      setSaveState("error", "Not saved: " + errorSummary(result));
    }
  }

  function save() {
    window.clearTimeout(state.timer);
    if (state.inFlight) {
      state.inFlight.then(function () {
        if (isDirty()) scheduleSave(0);
      });
      return state.inFlight;
    }
    if (!isDirty() || state.conflict) return Promise.resolve();
    state.inFlight = send(takeBatch()).finally(function () {
      state.inFlight = null;
    });
    return state.inFlight;
  }

  // Save everything now; resolves once nothing is left unsaved (false if that failed).
  async function flush() {
    for (let round = 0; round < 5 && (isDirty() || state.inFlight); round += 1) {
      await save();
      if (state.conflict || saveState.dataset.state === "error") return false;
    }
    return !isDirty() && !state.conflict;
  }

  function errorSummary(result) {
    const messages = (result.errors || []).map(function (error) {
      return error.message;
    });
    return messages.join(" ") || result.error || "the server refused the change.";
  }

  function showFieldError(error) {
    if (error.target === "page") {
      const box = document.getElementById("page-" + error.field + "-error");
      const input = document.getElementById("page-" + error.field);
      if (box && input) {
        box.textContent = error.message;
        box.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", box.id);
      }
    }
  }

  function clearFieldErrors() {
    document.querySelectorAll("#page-fields .field-error").forEach(function (box) {
      box.hidden = true;
      box.textContent = "";
    });
    document.querySelectorAll('#page-fields [aria-invalid="true"]').forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  // --- Conflicts ---------------------------------------------------------------------------

  function showConflict(batch, result) {
    state.conflict = { batch: batch, version: result.version };
    conflictBox.innerHTML = result.html;
    conflictBox.hidden = false;
    setSaveState("error", "Not saved: someone else changed this page");
    conflictBox.focus();
  }

  function keepMine() {
    const batch = state.conflict.batch;
    state.conflict = null;
    giveBack(batch, 0);
    const all = takeBatch();
    all.version = state.version;
    all.keepMine = true;
    all.changedFields = ["title", "slug", "summary", "commentsOpen"];
    all.changedSections = all.sections.map(function (section) {
      return section.id;
    });
    conflictBox.hidden = true;
    state.inFlight = send(all).finally(function () {
      state.inFlight = null;
    });
  }

  function takeTheirs() {
    state.conflict = null;
    takeBatch(); // dropped: the page reloads with their copy
    window.location.reload();
  }

  conflictBox.addEventListener("click", function (event) {
    const choice = event.target.closest("[data-conflict]");
    if (!choice || !state.conflict) return;
    if (choice.dataset.conflict === "keep-mine") keepMine();
    else takeTheirs();
  });

  window.addEventListener("beforeunload", function (event) {
    if (isDirty() || state.inFlight || state.conflict) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Preview -----------------------------------------------------------------------------

  function refreshPreview() {
    const frame = preview.contentWindow;
    const scroll = frame ? frame.scrollY : 0;
    preview.addEventListener(
      "load",
      function () {
        if (preview.contentWindow) preview.contentWindow.scrollTo(0, scroll);
      },
      { once: true }
    );
    preview.src = config.previewPath + "?version=" + state.version;
  }

  // --- Presence ----------------------------------------------------------------------------

  const presence = document.getElementById("presence");

  async function heartbeat() {
    try {
      const response = await post(config.presencePath, { clientId: clientId });
      const result = await response.json();
      const names = (result.others || []).map(function (other) {
        return other.sameUser ? other.name + " (you, in another window)" : other.name;
      });
      presence.hidden = names.length === 0;
      presence.textContent = names.length ? "Also editing this page: " + names.join(", ") : "";
    } catch (error) {
      presence.hidden = true;
    }
  }

  window.addEventListener("pagehide", function () {
    fetch(config.presencePath, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, window.Studio.csrfHeaders()),
      body: JSON.stringify({ clientId: clientId, leave: true }),
    }).catch(function () {});
  });

  // --- Sections ----------------------------------------------------------------------------

  function attachEditor(item) {
    const textarea = item.querySelector(":scope > .section-card .section-body");
    const title = item.querySelector(":scope > .section-card .section-title");
    const editor = window.StudioMarkdown.create(textarea, title);
    editors.set(item, editor);
    editor.codemirror.on("change", function () {
      state.sections.add(item);
      scheduleSave();
    });
    title.addEventListener("input", function () {
      state.sections.add(item);
      scheduleSave();
    });
  }

  const tree = window.SectionTree.create(treeRoot, {
    maxDepth: config.maxDepth,
    onMove: function (item, place, description) {
      state.operations.push({
        op: "move",
        id: item.dataset.id,
        parentId: place.parentId,
        position: place.position,
      });
      announce(description);
      scheduleSave();
    },
  });

  function addSection(list) {
    const fragment = document.getElementById("section-template").content.cloneNode(true);
    const item = fragment.querySelector("li.section-item");
    const tempId = "new-" + state.nextTempId++;
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
    state.operations.push({
      op: "add",
      tempId: tempId,
      parentId: place.parentId,
      position: place.position,
    });
    item.querySelector(".section-title").focus();
    announce("Section added.");
    scheduleSave();
  }

  function deleteSection(item) {
    const name = window.SectionTree.titleOf(item);
    if (!window.confirm("Delete “" + name + "” and everything nested in it?")) return;
    const id = item.dataset.id;
    const next = item.nextElementSibling || item.previousElementSibling || item.parentElement.closest("li");
    item.querySelectorAll("li.section-item").forEach(function (nested) {
      editors.delete(nested);
      state.sections.delete(nested);
    });
    editors.delete(item);
    state.sections.delete(item);
    item.remove();
    state.operations.push({ op: "delete", id: id });
    tree.refresh();
    const focusTarget = next ? next.querySelector(".section-title") : document.getElementById("add-section");
    focusTarget.focus();
    announce("“" + name + "” deleted.");
    scheduleSave();
  }

  treeRoot.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest("li.section-item");
    const action = button.dataset.action;
    if (action === "delete") return deleteSection(item);
    if (action === "add-child") return addSection(tree.childList(item));
    tree.move(item, action);
    const focusable = button.disabled
      ? item.querySelector(":scope > .section-card [data-action]:not(:disabled)")
      : button;
    if (focusable) focusable.focus();
  });

  document.getElementById("add-section").addEventListener("click", function () {
    addSection(treeRoot);
  });

  // --- Page fields, note, publishing forms ---------------------------------------------------

  document.querySelectorAll("#page-fields [data-field]").forEach(function (input) {
    const eventName = input.type === "checkbox" ? "change" : "input";
    input.addEventListener(eventName, function () {
      state.fields.add(input.dataset.field);
      scheduleSave();
    });
  });
  document.getElementById("page-fields").addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });

  document.getElementById("save-note").addEventListener("submit", function (event) {
    event.preventDefault();
    const input = document.getElementById("save-message");
    state.message = input.value.trim() || "Saved.";
    input.value = "";
    save();
  });

  // Publish, schedule and the rest act on the saved page: save first, send the version.
  document.querySelectorAll("form[data-flush]").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const question = form.dataset.flushConfirm;
      if (!form.reportValidity() || (question && !window.confirm(question))) return;
      if (!(await flush())) return;
      const version = form.querySelector('input[name="version"]');
      if (version) version.value = String(state.version);
      form.submit();
    });
  });

  treeRoot.querySelectorAll("li.section-item").forEach(attachEditor);
  heartbeat();
  window.setInterval(heartbeat, config.heartbeatSeconds * 1000);
  window.StudioEditor = { flush: flush, state: state };
})();
