// Boots GraphiQL at /graphql. Adapted from the inline script in
// strawberry-graphql's graphiql.html; kept in a static file so the page works
// under a Content-Security-Policy of `script-src 'self'`. Page-specific
// settings come from <script type="application/json" id="graphiql-config">:
//   { "defaultQuery": string, "subscriptionUrlPath": string }
(function () {
  "use strict";

  const config = JSON.parse(
    document.getElementById("graphiql-config").textContent,
  );

  // URL parameters (?q=...&variables=...&headers=...) for sharing queries.
  const parameters = {};
  for (const entry of window.location.search.slice(1).split("&")) {
    const eq = entry.indexOf("=");
    if (eq >= 0) {
      parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(
        entry.slice(eq + 1),
      );
    }
  }

  function updateURL(data) {
    Object.assign(parameters, data);
    const newSearch =
      "?" +
      Object.keys(parameters)
        .filter((key) => Boolean(parameters[key]))
        .map(
          (key) =>
            encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]),
        )
        .join("&");
    history.replaceState(null, null, newSearch);
  }

  // Queries go to the URL this page is served from (GET renders the page,
  // POST runs the query); subscriptions use a WebSocket on the configured path.
  const fetchURL = window.location.href.split("?")[0];
  const subscriptionURL = new URL(config.subscriptionUrlPath, fetchURL);
  subscriptionURL.protocol =
    subscriptionURL.protocol === "https:" ? "wss:" : "ws:";
  subscriptionURL.hash = "";

  const defaultHeaders = {};
  const csrfToken = Cookies.get("csrftoken");
  if (csrfToken) {
    defaultHeaders["x-csrftoken"] = csrfToken;
  }

  const fetcher = GraphiQL.createFetcher({
    url: fetchURL,
    headers: defaultHeaders,
    subscriptionUrl: subscriptionURL.toString(),
  });

  const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

  function GraphiQLWithExplorer() {
    const [query, setQuery] = React.useState(
      parameters.q || config.defaultQuery,
    );
    const [variables, setVariables] = React.useState(parameters.variables);
    const [headers, setHeaders] = React.useState(parameters.headers);

    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      plugins: [explorerPlugin],
      defaultQuery: config.defaultQuery,
      query: query,
      variables: variables,
      headers: headers,
      onEditQuery: function (newQuery) {
        setQuery(newQuery);
        updateURL({ q: newQuery });
      },
      onEditVariables: function (newVariables) {
        setVariables(newVariables);
        updateURL({ variables: newVariables });
      },
      onEditHeaders: setHeaders,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    });
  }

  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQLWithExplorer));
})();
