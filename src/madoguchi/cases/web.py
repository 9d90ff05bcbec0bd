"""Case pages for the local web app (include only when it is bound to 127.0.0.1).

    app.include_router(madoguchi.cases.web.router)

Unlocking derives the key once; the key stays only in this process's memory, keyed
by a random session cookie (HttpOnly, SameSite=Strict, path /cases) and forgotten
after IDLE_SECONDS without use or on 「鍵をかける」. Every form carries a CSRF token;
requests whose Host is not the loopback are refused (DNS rebinding). Uploads are
parsed in memory, never spooled to a temporary file.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from .crypto import Sealer
from .errors import CaseError, PassphraseError
from .importing import check_bytes, max_import_bytes
from .model import JST
from .store import CaseStore, default_home

COOKIE = "mdg_case_session"
PRE_COOKIE = "mdg_case_pre"
IDLE_SECONDS = 15 * 60
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
_FALLBACK_BASE = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}madoguchi{% endblock %}</title></head>
<body><main>{% block content %}{% endblock %}</main></body></html>"""

_env = Environment(
    loader=ChoiceLoader(
        [FileSystemLoader(str(TEMPLATE_DIR)), DictLoader({"base.html": _FALLBACK_BASE})]
    ),
    autoescape=select_autoescape(["html"]),
)


def _fmt(value: Any) -> str:
    return "" if value is None else value.astimezone(JST).strftime("%Y-%m-%d %H:%M")


_env.filters["dt"] = _fmt


@dataclass
class _Session:
    sealer: Sealer
    home: Path
    csrf: str
    expires: float = field(default=0.0)


_sessions: dict[str, _Session] = {}
_lock = threading.Lock()

router = APIRouter(prefix="/cases", tags=["cases"], include_in_schema=False)


def _host_name(header: str) -> str:
    h = header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1]
    return h.split(":", 1)[0]


def _check_host(request: Request) -> None:
    if _host_name(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
        raise HTTPException(
            status_code=403, detail="ケースのページは手元（127.0.0.1）でだけ開けます。"
        )


def _session(request: Request) -> _Session | None:
    token = request.cookies.get(COOKIE, "")
    now = time.monotonic()
    with _lock:
        for key in [k for k, s in _sessions.items() if s.expires < now]:
            del _sessions[key]  # forget expired keys
        sess = _sessions.get(token) if token else None
        if sess is not None:
            sess.expires = now + IDLE_SECONDS
        return sess


def _require(request: Request) -> _Session:
    _check_host(request)
    sess = _session(request)
    if sess is None:
        raise _Redirect("/cases/")
    return sess


class _Redirect(Exception):
    def __init__(self, to: str):
        self.to = to


def _csrf_ok(sess_token: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(sess_token, given)


def _render(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = _env.get_template(f"cases/{name}").render(**ctx)
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
        },
    )


def _open(sess: _Session) -> CaseStore:
    return CaseStore.open_with_key(sess.home, sess.sealer)


def _unlock_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)
    resp = _render(
        "unlock.html", status, csrf=pre, error=error, exists=CaseStore.exists(default_home())
    )
    resp.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", path="/cases")
    return resp


async def _form(request: Request, limit: int) -> dict[str, Any]:
    """Parse a urlencoded or multipart form in memory, refusing bodies over `limit`."""
    ctype = request.headers.get("content-type", "")

    async def limited() -> AsyncGenerator[bytes, None]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                raise HTTPException(status_code=413, detail="ファイルが大きすぎます。")
            yield chunk

    if ctype.startswith("multipart/form-data"):
        parser = MultiPartParser(
            request.headers, limited(), max_files=1, max_fields=20, max_part_size=256 * 1024
        )
        parser.spool_max_size = limit + 1  # keep uploads in memory: no plaintext temp file
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return dict(form.multi_items())
    body = b"".join([c async for c in limited()])
    from urllib.parse import parse_qsl

    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _s(form: dict[str, Any], key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------- routes
@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> Response:
    _check_host(request)
    sess = _session(request)
    if sess is None:
        return _unlock_page(request)
    with _open(sess) as store:
        cases = store.list_cases()
        counts = {c.id: len(store.evidence(c.id)) for c in cases}
    return _render("list.html", cases=cases, counts=counts, csrf=sess.csrf)


@router.post("/unlock")
async def unlock(request: Request) -> Response:
    _check_host(request)
    form = await _form(request, 64 * 1024)
    if not _csrf_ok(request.cookies.get(PRE_COOKIE, ""), _s(form, "csrf")):
        raise HTTPException(
            status_code=403, detail="フォームの有効期限が切れました。開き直してください。"
        )
    passphrase = _s(form, "passphrase")
    home = default_home()
    try:
        if not CaseStore.exists(home) and passphrase != _s(form, "confirm"):
            return _unlock_page(request, "確認のパスフレーズが一致しません。", 400)
        store = CaseStore.open(home, passphrase, create=True)
    except PassphraseError as exc:
        return _unlock_page(request, str(exc), 401)
    except CaseError as exc:
        return _unlock_page(request, str(exc), 400)
    sealer = store.sealer
    store.close()
    token = secrets.token_urlsafe(32)
    with _lock:
        _sessions[token] = _Session(
            sealer=sealer,
            home=home,
            csrf=secrets.token_urlsafe(24),
            expires=time.monotonic() + IDLE_SECONDS,
        )
    resp = RedirectResponse("/cases/", status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/cases")
    resp.delete_cookie(PRE_COOKIE, path="/cases")
    return resp


@router.post("/lock")
async def lock(request: Request) -> Response:
    _check_host(request)
    form = await _form(request, 64 * 1024)
    sess = _session(request)
    if sess is not None and _csrf_ok(sess.csrf, _s(form, "csrf")):
        with _lock:
            _sessions.pop(request.cookies.get(COOKIE, ""), None)
    resp = RedirectResponse("/cases/", status_code=303)
    resp.delete_cookie(COOKIE, path="/cases")
    return resp


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request) -> Response:
    try:
        sess = _require(request)
    except _Redirect as r:
        return RedirectResponse(r.to, status_code=303)
    return _render("new.html", csrf=sess.csrf, error="")


@router.post("/new")
async def new_case(request: Request) -> Response:
    try:
        sess = _require(request)
    except _Redirect as r:
        return RedirectResponse(r.to, status_code=303)
    form = await _form(request, 256 * 1024)
    if not _csrf_ok(sess.csrf, _s(form, "csrf")):
        raise HTTPException(status_code=403, detail="CSRF")
    title, text = _s(form, "title"), _s(form, "text")
    triage = None
    if text.strip() and _s(form, "triage"):
        from starlette.concurrency import run_in_threadpool

        import madoguchi

        result = await run_in_threadpool(madoguchi.triage, text)
        triage = result.model_dump(mode="json")
    try:
        with _open(sess) as store:
            case = store.create_case(title, situation=text, triage=triage)
    except CaseError as exc:
        return _render("new.html", 400, csrf=sess.csrf, error=str(exc))
    return RedirectResponse(f"/cases/{quote(case.id)}", status_code=303)


@router.get("/{case_id}", response_class=HTMLResponse)
def show(request: Request, case_id: str) -> Response:
    try:
        sess = _require(request)
    except _Redirect as r:
        return RedirectResponse(r.to, status_code=303)
    try:
        with _open(sess) as store:
            case = store.get_case(case_id)
            items = store.evidence(case_id)
            events = store.timeline(case_id)
    except CaseError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return _render(
        "show.html",
        case=case,
        items=items,
        events=events,
        csrf=sess.csrf,
        error=request.query_params.get("error", ""),
    )


@router.post("/{case_id}/evidence")
async def add_evidence(request: Request, case_id: str) -> Response:
    try:
        sess = _require(request)
    except _Redirect as r:
        return RedirectResponse(r.to, status_code=303)
    form = await _form(request, max_import_bytes() + 512 * 1024)
    if not _csrf_ok(sess.csrf, _s(form, "csrf")):
        raise HTTPException(status_code=403, detail="CSRF")
    back = f"/cases/{quote(case_id)}"
    try:
        files = []
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            await upload.close()
            if data:
                files.append(check_bytes(data, upload.filename))
        from ..cli._common import parse_at

        seen = parse_at(_s(form, "seen_at") or None)
        if seen is not None and seen.tzinfo is None:
            seen = seen.replace(tzinfo=JST)
        with _open(sess) as store:
            store.add_evidence(
                case_id,
                url=_s(form, "url"),
                text=_s(form, "text"),
                notes=_s(form, "notes"),
                seen_at=seen,
                files=files,
                source="import" if files else "manual",
            )
    except (CaseError, ValueError) as exc:
        return RedirectResponse(f"{back}?error={quote(str(exc))}", status_code=303)
    return RedirectResponse(back, status_code=303)


@router.get("/{case_id}/export")
def export(request: Request, case_id: str, kind: str = "memo", fmt: str = "pdf") -> Response:
    try:
        sess = _require(request)
    except _Redirect as r:
        return RedirectResponse(r.to, status_code=303)
    from ..documents.export import document_bytes, normalise_kind

    try:
        kind = normalise_kind(kind)
        if fmt not in {"pdf", "txt"}:
            raise CaseError("形式は pdf か txt です。")
        with _open(sess) as store:
            data = document_bytes(store, case_id, kind, fmt)
    except CaseError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    media = "application/pdf" if fmt == "pdf" else "text/plain; charset=utf-8"
    filename = f"{kind}-{case_id}.{fmt}"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def forget_all_sessions() -> None:
    """Drop every unlocked key (tests, shutdown)."""
    with _lock:
        _sessions.clear()
