# Varnish 7.1 in front of `cms serve --workers N` (README: Production > Behind Varnish).
#
# Caches anonymous GETs for as long as the app's Cache-Control says (s-maxage), tags each
# object with the app's Surrogate-Key header through xkey (varnish-modules), and lets the
# app purge by key: with CMS_HTTP_PURGE_URL=http://<this varnish>/ every content change
# sends `PURGE` with `xkey-purge: <keys>`, and exactly the objects carrying one of those
# keys are dropped (a hard purge: not even served as stale).
vcl 4.1;

import xkey;

backend cms {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app's hosts. Anyone else gets 403.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Missing xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    # Editors send a token: their answers are private (the app says so too).
    if (req.http.Authorization) {
        return (pass);
    }
    # The reader who just posted a comment without JavaScript sees it awaiting moderation
    # through a short-lived cookie (cms/site/comments.py): that page is theirs alone.
    if (req.http.Cookie ~ "(^|;\s*)cms-posted-comment=") {
        return (pass);
    }
    # Nothing else reads cookies; the builtin VCL would pass every request that carries
    # one (analytics cookies of the site's domain, say).
    unset req.http.Cookie;
}

sub vcl_backend_response {
    # Only what the app tags can be purged when content changes, so only that is kept:
    # anything else (the reader site's HTML, for one) is fetched every time.
    if (!beresp.http.Surrogate-Key) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # xkey indexes an object by its `xkey` header: the app's Surrogate-Key.
    set beresp.http.xkey = beresp.http.Surrogate-Key;
}

sub vcl_deliver {
    # Served from the cache or fetched: for operators and for the tests.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
}
