"""The preview's web server: the brief's page with a bar of links, its PDF and DOCX, and a version to poll.

Served on 127.0.0.1 unless the user asks for another host. ``/`` is the
brief's HTML page with a bar linking to the PDF and DOCX and a small
script that polls ``/version`` and reloads the page when a rebuild
finished; a failed rebuild shows its problems (``file:line: what (hint)``,
as on the command line) above the last good page. A watcher thread
(watchfiles) rebuilds on every change under the session's folders. The
server only reads the session: it never builds in a request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefgen.errors import BriefgenError, UsageError
from briefgen.preview.session import PreviewSession, Snapshot

__all__ = ["PreviewServer"]

_POLL_MS = 200
_WATCH_STEP_MS = 20  # how long watchfiles waits for more changes before it reports them
_QUIET_MS = 100  # how often the watcher wakes without changes (so that it can stop)
_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_STYLE = """<style>
.preview-bar { display: flex; gap: 1rem; align-items: center; justify-content: center; padding: 0.4rem 1rem;
  background: #f3f4f6; border-bottom: 1px solid #c8ccd2; font: 0.9rem system-ui, sans-serif; color: #1a1a1a; }
.preview-bar a { color: #1f3a5f; font-weight: bold; }
.preview-error { max-width: 46rem; margin: 1rem auto; padding: 0.75rem 1rem; border: 2px solid #a4161a;
  background: #fff5f5; color: #1a1a1a; font: 0.95rem system-ui, sans-serif; }
.preview-error pre { white-space: pre-wrap; margin: 0.5rem 0 0; font-size: 0.9rem; }
.preview-warnings { max-width: 46rem; margin: 1rem auto; padding: 0.5rem 1rem; border: 2px solid #8a6d00;
  background: #fffbea; color: #1a1a1a; font: 0.9rem system-ui, sans-serif; }
.preview-warnings ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
@media print { .preview-bar, .preview-error, .preview-warnings { display: none; } }
</style>"""
_RELOAD = """<script>
(() => {
  const shown = "%(version)s";
  const poll = async () => {
    try {
      const response = await fetch("/version", {cache: "no-store"});
      if ((await response.text()) !== shown) { location.reload(); return; }
    } catch (error) { /* the server is restarting: try again */ }
    setTimeout(poll, %(poll)d);
  };
  setTimeout(poll, %(poll)d);
})();
</script>"""


class PreviewServer:
    """Serve ``session`` on ``host:port`` (port 0: any free one) and rebuild it when its files change."""

    def __init__(self, session: PreviewSession, host: str = "127.0.0.1", port: int = 8000,
                 on_rebuild: Callable[[Snapshot], None] | None = None) -> None:
        self.session = session
        self._on_rebuild = on_rebuild or (lambda snapshot: None)
        self._stop = threading.Event()
        self._ready = threading.Event()  # set once the watcher is watching: a change from then on is seen
        try:
            self._http = ThreadingHTTPServer((host, port), _handler(session))
        except OSError as error:
            raise UsageError(f"cannot serve on {host}:{port}: {error.strerror}", hint="choose another port with --port N") from None
        self._http.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Watch, build once, then serve, in background threads; return once the watcher sees changes."""
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        self._ready.wait(timeout=10)
        self._on_rebuild(self.session.rebuild())
        server = threading.Thread(target=self._http.serve_forever, daemon=True)
        server.start()
        self._threads += [watcher, server]

    def close(self) -> None:
        self._stop.set()
        self._http.shutdown()
        self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _watch(self) -> None:
        from watchfiles import watch

        paths = self.session.watched()
        if not paths:
            self._ready.set()
            return
        # With yield_on_timeout, an empty set comes after each quiet rust_timeout: the first says the watcher is set up.
        for changes in watch(*paths, stop_event=self._stop, step=_WATCH_STEP_MS, rust_timeout=_QUIET_MS,
                             yield_on_timeout=True, raise_interrupt=False):
            self._ready.set()
            if changes:
                self._on_rebuild(self.session.rebuild())


def _handler(session: PreviewSession) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            path = self.path.split("?", 1)[0]
            snapshot = session.snapshot
            if path == "/":
                self._send(_page(session.name, snapshot), "html")
            elif path == "/version":
                self._send(str(snapshot.version).encode(), "text/plain")
            elif path.startswith(f"/{session.name}.") and path.rsplit(".", 1)[1] in _TYPES:
                self._send_file(path.rsplit(".", 1)[1])
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send_file(self, fmt: str) -> None:
            try:
                data = session.file(fmt)
            except BriefgenError as error:
                self._send(_text(error).encode(), "text/plain", HTTPStatus.INTERNAL_SERVER_ERROR)
                return
            if data is None:
                self._send(_text(session.snapshot.error).encode(), "text/plain", HTTPStatus.SERVICE_UNAVAILABLE)
            else:
                self._send(data, fmt)

        def _send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", _TYPES.get(kind, kind))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # requests are not news
            pass

    return Handler


def _page(name: str, snapshot: Snapshot) -> bytes:
    """The brief's last good page with the preview bar, the error if the last rebuild failed, the last
    rebuild's warnings (stale facts; facts the PDF and DOCX leave out to fit, which the page states), and the reload script."""
    files = snapshot.files
    page = files.data["html"].decode("utf-8") if files is not None else _EMPTY_PAGE
    links = "".join(f'<a href="/{escape(name)}.{fmt}">{fmt.upper()}</a>' for fmt in ("pdf", "docx"))
    status = f"<span>{escape(name)} · rebuilt in {snapshot.seconds * 1000:.0f} ms</span>"
    bar = f'<nav class="preview-bar" aria-label="Preview">{status}{links}</nav>'
    if snapshot.error is not None:
        bar += (f'<section class="preview-error" role="alert" aria-label="Build failed"><strong>The last change did not build; '
                f"the page below is the last good one.</strong><pre>{escape(_text(snapshot.error), quote=False)}</pre></section>")
    if snapshot.warnings:
        said = "".join(f"<li>{escape(warning, quote=False)}</li>" for warning in snapshot.warnings)
        bar += f'<section class="preview-warnings" aria-label="Warnings"><strong>Warnings</strong><ul>{said}</ul></section>'
    page = page.replace("<body>", f"<body>\n{bar}", 1).replace("</head>", f"{_STYLE}\n</head>", 1)
    script = _RELOAD % {"version": snapshot.version, "poll": _POLL_MS}
    return page.replace("</body>", f"{script}\n</body>", 1).encode("utf-8")


def _text(error: BriefgenError | None) -> str:
    """The problems as the command line prints them."""
    if error is None:
        return ""
    return "\n".join(str(problem) if problem.file else f"error: {problem}" for problem in error.problems)


_EMPTY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>briefgen preview</title></head>
<body>
<main><h1>No page yet</h1><p>The brief has not built yet: fix the problem above and save.</p></main>
</body>
</html>
"""
