// A tiny client for the graphql-transport-ws protocol (GraphQL subscriptions over a
// WebSocket), enough for the reader site: connection_init/ack, subscribe/next/error/
// complete, ping/pong, and reconnecting with back-off. Exposed as window.GraphQLWs.
// https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
(function () {
  "use strict";

  const PROTOCOL = "graphql-transport-ws";
  const MAX_DELAY_MS = 30000;
  const utf8 = new TextDecoder();

  function createClient(url, { onConnected, onReconnected } = {}) {
    const subscriptions = new Map(); // id -> { payload, sink }
    let socket = null;
    let acknowledged = false;
    let nextId = 1;
    let attempts = 0;
    let closedByUser = false;

    function send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message));
      }
    }

    function startAll() {
      for (const [id, { payload }] of subscriptions) {
        send({ id, type: "subscribe", payload });
      }
    }

    function connect() {
      acknowledged = false;
      socket = new WebSocket(url, PROTOCOL);
      // The protocol sends JSON in text frames; accept binary frames of UTF-8 JSON too.
      socket.binaryType = "arraybuffer";
      socket.addEventListener("open", () => send({ type: "connection_init", payload: {} }));
      socket.addEventListener("message", (event) => {
        let message;
        try {
          const text =
            typeof event.data === "string" ? event.data : utf8.decode(event.data);
          message = JSON.parse(text);
        } catch {
          return;
        }
        const entry = subscriptions.get(message.id);
        switch (message.type) {
          case "connection_ack":
            acknowledged = true;
            if (onConnected) onConnected();
            if (attempts > 0 && onReconnected) onReconnected();
            attempts = 0;
            startAll();
            break;
          case "ping":
            send({ type: "pong" });
            break;
          case "next":
            if (entry) entry.sink.next(message.payload);
            break;
          case "error":
            if (entry) {
              subscriptions.delete(message.id);
              entry.sink.error(message.payload);
            }
            break;
          case "complete":
            if (entry) {
              subscriptions.delete(message.id);
              if (entry.sink.complete) entry.sink.complete();
            }
            break;
        }
      });
      socket.addEventListener("close", (event) => {
        socket = null;
        // 44xx: the server refused us (bad request, unauthorised, …); retrying won't help.
        if (closedByUser || (event.code >= 4400 && event.code < 4500)) {
          for (const { sink } of subscriptions.values()) sink.error({ code: event.code });
          subscriptions.clear();
          return;
        }
        attempts += 1;
        const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** attempts) * (0.5 + Math.random());
        setTimeout(connect, delay);
      });
    }

    return {
      // Starts a subscription; sink = { next(result), error(errors), complete() }.
      // Returns a function that stops it.
      subscribe(payload, sink) {
        const id = String(nextId++);
        subscriptions.set(id, { payload, sink });
        if (!socket) connect();
        else if (acknowledged) send({ id, type: "subscribe", payload });
        return () => {
          if (subscriptions.delete(id)) send({ id, type: "complete" });
        };
      },
      close() {
        closedByUser = true;
        if (socket) socket.close(1000, "Normal Closure");
      },
    };
  }

  window.GraphQLWs = { createClient };
})();
