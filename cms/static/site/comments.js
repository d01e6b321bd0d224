// Progressive enhancement of the comment form and thread. Without this script the form
// posts to the server, which renders the page again; with it, comments go straight to
// the GraphQL API (addComment) without a reload, errors appear next to their fields,
// and comments approved by an editor appear live (the commentAdded subscription).
(function () {
  "use strict";

  const configElement = document.getElementById("site-config");
  const form = document.getElementById("comment-form");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  const announcer = document.getElementById("live-announcer");

  // Documents go by hash alone (persisted queries: the server allow-lists the site's
  // documents when it starts); the text is sent only if the server does not know the
  // hash (automatic persisted queries), which allow-list mode never needs.
  async function post(body) {
    const response = await fetch(config.graphqlPath, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
      },
      body: JSON.stringify(body),
    });
    return response.json();
  }

  async function graphql(name, variables) {
    const { sha256Hash, query } = config.documents[name];
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const result = await post({ variables, extensions });
    const notFound = (result.errors || []).some(
      (error) => error.extensions && error.extensions.code === "PERSISTED_QUERY_NOT_FOUND",
    );
    return notFound ? post({ query, variables, extensions }) : result;
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh text node after a tick makes screen readers speak it again.
    setTimeout(() => (announcer.textContent = text), 50);
  }

  // --- The thread ----------------------------------------------------------------

  const dateFormat = new Intl.DateTimeFormat("en-US", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  });

  function commentElement(comment, parentId) {
    const template = document.getElementById("pending-comment-template");
    const item = template.content.firstElementChild.cloneNode(true);
    item.id = "comment-" + comment.id;
    item.dataset.commentId = comment.id;
    item.dataset.parentId = parentId || "";
    item.querySelector('[data-slot="initial"]').textContent = comment.authorName
      .slice(0, 1)
      .toUpperCase();
    const author = item.querySelector('[data-slot="author"]');
    if (comment.authorUrl) {
      const link = document.createElement("a");
      link.href = comment.authorUrl;
      link.rel = "nofollow ugc noopener";
      link.textContent = comment.authorName;
      author.append(link);
    } else {
      author.textContent = comment.authorName;
    }
    const date = item.querySelector('[data-slot="date"]');
    date.dateTime = comment.createdAt;
    date.textContent = dateFormat.format(new Date(comment.createdAt));
    // bodyHtml is the API's escaped, sanitised rendering of the plain-text comment.
    item.querySelector('[data-slot="text"]').innerHTML = comment.bodyHtml;
    return item;
  }

  function placeComment(item, parentId) {
    const parent = parentId && document.getElementById("comment-" + parentId);
    let list = document.getElementById("comment-list");
    if (parent) {
      list = parent.querySelector(":scope > .comment-list--children");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list comment-list--children";
        parent.append(list);
      }
    }
    list.append(item);
    const empty = document.querySelector(".no-comments");
    if (empty) empty.hidden = true;
  }

  // Fetches the server-rendered thread and swaps it in, keeping the reader's own
  // comments that still await moderation.
  async function refreshThread(highlightId) {
    const response = await fetch(config.threadPath, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const html = await response.text();
    const fresh = new DOMParser()
      .parseFromString(html, "text/html")
      .getElementById("comment-thread");
    const current = document.getElementById("comment-thread");
    if (!fresh || !current) return;
    const pending = [...current.querySelectorAll(".comment--pending")];
    current.replaceWith(document.adoptNode(fresh));
    for (const item of pending) {
      if (!document.getElementById(item.id)) placeComment(item, item.dataset.parentId);
    }
    const count = Number(fresh.dataset.commentCount);
    const countLink = document.getElementById("comment-count");
    if (countLink) countLink.textContent = count + (count === 1 ? " comment" : " comments");
    const arrived = highlightId && document.getElementById("comment-" + highlightId);
    if (arrived) arrived.classList.add("comment--new");
  }

  // --- Live updates ----------------------------------------------------------------

  function watchForApprovedComments() {
    if (!("WebSocket" in window) || !window.GraphQLWs) return;
    const url = new URL(config.graphqlPath, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const root = document.documentElement;
    const client = window.GraphQLWs.createClient(url.href, {
      onConnected: () => (root.dataset.liveComments = "connected"),
      onReconnected: () => refreshThread(), // catch up on what was approved meanwhile
    });
    client.subscribe(
      { query: config.documents.comment_added.query, variables: { pageId: config.pageId } },
      {
        next(result) {
          const comment = result.data && result.data.commentAdded;
          if (!comment) return;
          refreshThread(comment.id);
          announce("New comment from " + comment.authorName + ".");
        },
        error(error) {
          root.dataset.liveComments = "unavailable";
          console.warn("Live comments are unavailable:", error);
        },
      },
    );
  }

  // --- The form --------------------------------------------------------------------

  function showErrors(errors) {
    let first = null;
    for (const { field, message } of errors) {
      let box = form.querySelector('[data-error-for="' + field + '"]');
      const input = document.getElementById(field);
      if (!box || !input || input.type === "hidden" || input.name === "honeypot") {
        box = form.querySelector('[data-error-for="form"]');
      } else {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
      box.textContent = box.hidden ? message : box.textContent + " " + message;
      box.hidden = false;
    }
    (first || form.querySelector('[data-error-for="form"]')).focus?.();
  }

  function clearErrors() {
    for (const box of form.querySelectorAll("[data-error-for]")) {
      box.hidden = true;
      box.textContent = "";
    }
    for (const input of form.querySelectorAll('[aria-invalid="true"]')) {
      input.removeAttribute("aria-invalid");
    }
  }

  function setReplyTo(commentId, authorName) {
    form.elements.parentId.value = commentId || "";
    const replying = document.getElementById("replying-to");
    replying.hidden = !commentId;
    replying.querySelector('[data-slot="reply-author"]').textContent = authorName || "";
  }

  // The article is shared by every reader (and cached), so its form has no token: one
  // is fetched when the reader starts writing, and again after each comment.
  let tokenRequest = null;

  function renewFormToken() {
    tokenRequest = graphql("comment_form_token", { pageId: config.pageId })
      .then((result) => {
        if (result.data && result.data.commentFormToken) {
          form.elements.formToken.value = result.data.commentFormToken;
        }
      })
      .catch(() => {});
    return tokenRequest;
  }

  function ensureFormToken() {
    if (form.elements.formToken.value) return Promise.resolve();
    return tokenRequest || renewFormToken();
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    await ensureFormToken();
    const fields = form.elements;
    const input = {
      pageId: fields.pageId.value,
      authorName: fields.authorName.value,
      authorEmail: fields.authorEmail.value,
      body: fields.body.value,
      honeypot: fields.honeypot.value,
    };
    for (const name of ["authorUrl", "parentId", "formToken"]) {
      if (fields[name].value.trim()) input[name] = fields[name].value.trim();
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const result = await graphql("add_comment", { input });
      const payload = result.data && result.data.addComment;
      if (result.errors && result.errors.length) {
        showErrors(result.errors.map((error) => ({ field: "form", message: error.message })));
      } else if (payload.errors.length) {
        showErrors(payload.errors);
      } else {
        const comment = payload.comment;
        if (comment.status === "PENDING") {
          const item = commentElement(comment, input.parentId);
          placeComment(item, input.parentId);
          item.scrollIntoView({ block: "center" });
          announce("Your comment is awaiting moderation.");
        } else {
          await refreshThread(comment.id);
        }
        fields.body.value = "";
        setReplyTo(null);
        renewFormToken();
      }
    } catch (error) {
      showErrors([{ field: "form", message: "Could not send the comment; try again." }]);
    } finally {
      button.disabled = false;
    }
  }

  if (form) {
    form.addEventListener("submit", submit);
    form.addEventListener("focusin", ensureFormToken, { once: true });
    document.addEventListener("click", (event) => {
      const link = event.target.closest("[data-reply-to]");
      if (link) {
        event.preventDefault();
        setReplyTo(link.dataset.replyTo, link.dataset.replyAuthor);
        form.elements.body.focus();
      } else if (event.target.id === "cancel-reply") {
        event.preventDefault();
        setReplyTo(null);
      }
    });
    form.dataset.enhanced = "true";
  }
  watchForApprovedComments();
})();
