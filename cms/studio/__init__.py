"""The editors' studio, served at /studio: server-rendered pages (Jinja2, htmx) that read
and write through the same GraphQL schema as the API, as the signed-in user.

How a studio page is built (see cms/studio/studio.py):

- routes are made with ``studio.signed_in(handler)`` (or ``admin_only=True``); the wrapper
  sends strangers to the sign-in page, refuses editors on admin pages, and checks the CSRF
  token of every state-changing request (POST, PUT, PATCH, DELETE) before the handler runs;
- ``await studio.user(request)`` is the signed-in :class:`SignedInUser`;
- ``await studio.execute(request, "name", variables)`` runs ``queries/name.graphql`` with the
  signed-in user's viewer and the API's own request context (permissions, validation);
- ``await studio.render(request, "page.html.j2", {...})`` renders a template extending
  ``base.html.j2`` (navigation, pending-comment count, CSRF meta tag);
- forms put ``{{ csrf_field() }}`` inside; htmx requests get the ``X-CSRF-Token`` header
  from static/studio.js, which reads ``<meta name="csrf-token">``.

Every response is ``no-store``, unframeable and under a strict CSP (cms/studio/headers.py).
"""

from cms.studio.app import create_studio

__all__ = ["create_studio"]
