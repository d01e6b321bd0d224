// Autosave of the page's working copy: changes are collected, then sent in batches, one
// request at a time, each naming the page version it started from (cms/studio/working_copy.py).
// It keeps the saved/unsaved indicator, shows the API's errors by field, offers the choice
// when someone else saved first (a conflict), and warns before leaving with unsaved changes.
(function () {
  "use strict";

  const SAVE_DELAY_MS = 800;
  const RETRY_DELAY_MS = 5000;
  const PAGE_FIELDS = ["title", "slug", "summary", "commentsOpen"];

  function post(path, body, extra) {
    return fetch(
      path,
      Object.assign(
        {
          method: "POST",
          credentials: "same-origin",
          headers: Object.assign(
            { "Content-Type": "application/json" },
            window.Studio.csrfHeaders()
          ),
          body: JSON.stringify(body),
        },
        extra || {}
      )
    );
  }

  // options: savePath, version, snapshot() → {page, sections}, findItem(id), onSaved().
  function create(options) {
    const indicator = document.getElementById("save-state");
    const conflictBox = document.getElementById("conflict");
    const state = {
      version: options.version,
      fields: new Set(),
      sections: new Set(), // section items whose heading or text changed
      operations: [],
      message: null,
      inFlight: null,
      conflict: null,
      timer: null,
      leaving: false,
    };

    function show(kind, text) {
      indicator.dataset.state = kind;
      indicator.textContent = text;
    }

    function isDirty() {
      return Boolean(
        state.fields.size || state.sections.size || state.operations.length || state.message
      );
    }

    function takeBatch() {
      const copy = options.snapshot();
      const batch = {
        version: state.version,
        page: copy.page,
        sections: copy.sections,
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
    function giveBack(batch, applied) {
      batch.changedFields.forEach(function (name) {
        state.fields.add(name);
      });
      batch.changedSections.forEach(function (id) {
        const item = options.findItem(id);
        if (item) state.sections.add(item);
      });
      state.operations = batch.operations.slice(applied || 0).concat(state.operations);
      state.message = state.message || batch.message;
    }

    // Sections added by a saved batch have their real IDs now.
    function adoptIds(ids) {
      Object.keys(ids).forEach(function (tempId) {
        const item = options.findItem(tempId);
        if (item) item.dataset.id = ids[tempId];
        state.operations.forEach(function (operation) {
          ["id", "parentId", "tempId"].forEach(function (key) {
            if (operation[key] === tempId) operation[key] = ids[tempId];
          });
        });
      });
    }

    function schedule(delay) {
      if (state.conflict) return;
      show("unsaved", "Unsaved changes");
      window.clearTimeout(state.timer);
      state.timer = window.setTimeout(save, delay === undefined ? SAVE_DELAY_MS : delay);
    }

    function reload() {
      state.leaving = true;
      window.location.reload();
    }

    async function send(batch) {
      show("saving", "Saving…");
      let response;
      try {
        response = await post(options.savePath, batch);
      } catch (error) {
        giveBack(batch, 0);
        show("error", "Not saved: offline? Trying again…");
        schedule(RETRY_DELAY_MS);
        return;
      }
      const result = await response.json().catch(function () {
        return {};
      });
      if (typeof result.version !== "number") {
        // Sent to the sign-in page (the session ended), or refused outright: not saved.
        giveBack(batch, 0);
        const signedOut = response.redirected || response.status === 403;
        show(
          "error",
          signedOut
            ? "Not saved: you are signed out. Sign in again in another tab, then save."
            : "Not saved: " + errorSummary(result)
        );
        return;
      }
      state.version = result.version;
      adoptIds(result.ids || {});
      clearFieldErrors();
      if (response.ok && batch.keepMine) {
        reload(); // their structure with my texts: start again from the saved page
      } else if (response.ok) {
        show(isDirty() ? "unsaved" : "saved", isDirty() ? "Unsaved changes" : "All changes saved");
        options.onSaved();
      } else if (response.status === 409 && result.conflict) {
        showConflict(batch, result);
      } else {
        giveBack(batch, result.appliedOperations);
        (result.errors || []).forEach(showFieldError);
        show("error", "Not saved: " + errorSummary(result));
      }
    }

    function run(batch) {
      state.inFlight = send(batch).finally(function () {
        state.inFlight = null;
      });
      return state.inFlight;
    }

    function save() {
      window.clearTimeout(state.timer);
      if (state.inFlight) {
        return state.inFlight.then(function () {
          if (isDirty()) schedule(0);
        });
      }
      if (!isDirty() || state.conflict) return Promise.resolve();
      return run(takeBatch());
    }

    // Save everything now; true once nothing is left unsaved.
    async function flush() {
      for (let round = 0; round < 5 && (isDirty() || state.inFlight); round += 1) {
        await (state.inFlight || save());
        if (state.conflict || indicator.dataset.state === "error") return false;
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
      const box = document.getElementById("page-" + error.field + "-error");
      const input = document.getElementById("page-" + error.field);
      if (error.target === "page" && box && input) {
        box.textContent = error.message;
        box.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", box.id);
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

    function showConflict(batch, result) {
      state.conflict = { batch: batch };
      conflictBox.innerHTML = result.html;
      conflictBox.hidden = false;
      show("error", "Not saved: someone else changed this page");
      conflictBox.focus();
    }

    function keepMine() {
      giveBack(state.conflict.batch, 0);
      state.conflict = null;
      conflictBox.hidden = true;
      const all = takeBatch();
      all.keepMine = true;
      all.changedFields = PAGE_FIELDS;
      all.changedSections = all.sections.map(function (section) {
        return section.id;
      });
      run(all);
    }

    conflictBox.addEventListener("click", function (event) {
      const choice = event.target.closest("[data-conflict]");
      if (!choice || !state.conflict) return;
      if (choice.dataset.conflict === "keep-mine") keepMine();
      else reload(); // take theirs: my unsaved changes are dropped
    });

    window.addEventListener("beforeunload", function (event) {
      if (!state.leaving && (isDirty() || state.inFlight || state.conflict)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    return {
      state: state,
      post: post,
      flush: flush,
      save: save,
      changed: function (kind, value) {
        if (kind === "field") state.fields.add(value);
        else if (kind === "section") state.sections.add(value);
        else if (kind === "operation") state.operations.push(value);
        else if (kind === "message") state.message = value;
        schedule();
      },
      forget: function (item) {
        state.sections.delete(item);
      },
    };
  }

  window.StudioAutosave = { create: create, post: post };
})();
