"""`livewatch worker` with GET /api/archive mounted (streams.web.archive.add_archive_routes).

For the replay e2e tests until streams/web/service.py mounts the archive routes itself; once it
does, this is the same as `livewatch worker` (add_archive_routes adds the routes only once).
"""

from __future__ import annotations

import sys

import streams.web.server as server
from streams.web.archive import add_archive_routes

_create_web_app = server.create_web_app


def create_web_app(**kwargs):
    web_app = _create_web_app(**kwargs)
    add_archive_routes(web_app, kwargs["client_factory"])
    return web_app


server.create_web_app = create_web_app

if __name__ == "__main__":
    from streams.cli import main

    sys.exit(main(["worker", *sys.argv[1:]]))
