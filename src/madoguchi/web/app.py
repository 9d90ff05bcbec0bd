"""The web face: server-rendered Japanese pages and the versioned JSON API over the same core.

Everything is served by the app itself (no CDN, no third-party asset, no script needed). Free
text travels by POST only; guided answers are choice values, so they may sit in URLs. Nothing a
person writes is logged or stored.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..directory import find_windows, get_window, load_directory, window_detail, window_summary
from ..directory.query import AUDIENCE_LABELS, FEE_LABELS, KIND_LABELS, InputError
from ..guides import load_guides
from ..routing.questions import END, load_questions
from ..routing.triage import TriageInputError, triage

HERE = Path(__file__).resolve().parent
MAX_TEXT_BYTES = 16 * 1024  # the situation text
MAX_BODY_BYTES = 64 * 1024  # any request body (the case pages set their own, larger limit)
FURIGANA_COOKIE = "furigana"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityAndLimits:
    """ASGI middleware: security headers on every response, and a cap on request bodies.

    The cap counts bytes as they arrive, so a body without Content-Length is held to it too.
    """

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = 30 * 1024 * 1024 if path.startswith("/cases") else self.max_body
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)
                ]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await _too_large(scope, send)


class _BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit; an HTTPException so FastAPI passes it on."""

    def __init__(self) -> None:
        super().__init__(413, "送られた内容が大きすぎます。短くしてください。")


async def _too_large(scope: Scope, send: Send) -> None:
    body = json.dumps(
        {"error": {"status": 413, "message": "送られた内容が大きすぎます。短くしてください。"}},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TriageRequest(BaseModel):
    """POST /api/v1/triage: the same arguments as `madoguchi.triage()`."""

    text: str | None = Field(
        default=None, description="何があったか（日本語の文章、16KB まで。超えると 413）"
    )
    prefecture: str | None = Field(default=None, description="都道府県（佐賀, 佐賀県, saga, 41）")
    audience: (
        Literal[
            "general",
            "child",
            "parent",
            "woman",
            "man",
            "lgbtq",
            "elderly",
            "business",
            "foreign_resident",
            "teacher",
        ]
        | None
    ) = Field(default=None, description="あなたは（子ども・保護者 …）")
    answers: dict[str, Any] | None = Field(
        default=None, description="質問への答え（/api/v1/questions）"
    )
    at: str | None = Field(default=None, description="受付中かを判断する日時（ISO 8601）")
    want: Literal["delete", "identify", "punish", "talk", "report"] | None = Field(
        default=None, description="どうしたいか"
    )


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "本文が読めない"},
    404: {"model": ErrorResponse, "description": "見つからない"},
    413: {"model": ErrorResponse, "description": "大きすぎる"},
    422: {"model": ErrorResponse, "description": "入力が正しくない"},
}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "message": message}}, status_code=status, headers=headers
    )


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"


def create_app(*, local: bool = False) -> FastAPI:
    """The app. `local=True` (bound to 127.0.0.1) adds the private case pages."""
    directory = load_directory()
    flow = load_questions()
    guides = load_guides()
    app = FastAPI(
        title="madoguchi API",
        version=__version__,
        description="SNS・ネットのトラブルの相談窓口を探す API（triage と窓口データ）。",
        docs_url=None,  # the stock page loads Swagger UI from a CDN: ours is served below
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["r"] = lambda text, on=False: _ruby(text, on)
    env.globals.update(
        KIND_LABELS=KIND_LABELS,
        FEE_LABELS=FEE_LABELS,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        directory=directory,
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        override = context.pop("furigana_override", None)
        furigana = override if override is not None else request.cookies.get(FURIGANA_COOKIE) == "1"
        child = context.get("audience") == "child" or request.cookies.get("mode") == "child"
        base = {
            "fg": furigana,
            "child": child,
            "emergency_lines": _emergency_lines(directory, child),
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "version": __version__,
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    # ------------------------------------------------------------------ errors
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {
            400: "送られた内容を読み取れませんでした（JSON の形式を確かめてください）。",
            404: "見つかりません。",
            405: "この方法では使えません。",
            413: "送られた内容が大きすぎます。短くしてください。",
        }.get(exc.status_code, str(exc.detail))
        headers = dict(exc.headers) if exc.headers else None  # e.g. Allow on a 405
        if _is_api(request):
            return _error(exc.status_code, message, headers)
        response = page(request, "error.html", exc.status_code, message=message)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        where = "; ".join(
            ".".join(str(p) for p in e["loc"] if p != "body") + f": {e['msg']}"
            for e in exc.errors()
        )
        message = f"入力の形式が正しくありません（{where}）"
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            message = "送られた内容を JSON として読めませんでした。"
            if _is_api(request):
                return _error(400, message)
        if _is_api(request):
            return _error(422, message)
        return page(request, "error.html", 422, message=message)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        status = 404 if "見つかりません" in str(exc) and "窓口" in str(exc) else 422
        if _is_api(request):
            return _error(status, str(exc))
        return page(request, "error.html", status, message=str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        message = "内部エラーが起きました。時間をおいてもう一度お試しください。"
        if _is_api(request):
            return _error(500, message)
        return page(request, "error.html", 500, message=message)

    # ------------------------------------------------------------------ API
    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # HEAD for load balancers' checks; one operation in the OpenAPI document, not two.
    app.add_api_route("/healthz", healthz, methods=["HEAD"], include_in_schema=False)

    @app.post("/api/v1/triage", tags=["triage"], responses=ERROR_RESPONSES)
    async def api_triage(body: TriageRequest) -> dict[str, Any]:
        # async on purpose: ~1 ms of CPU, so running it on the event loop keeps requests in
        # order and avoids a 40-thread pool fighting over the GIL (a long p99 tail).
        """状況の文章や質問への答えから、相談先・緊急性・まずやることを返します。"""
        if body.text is not None and len(body.text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise StarletteHTTPException(413, "文章が長すぎます（16KB まで）。短くしてください。")
        result = triage(
            body.text,
            answers=body.answers,
            prefecture=body.prefecture,
            audience=body.audience,
            at=body.at,
            want=body.want,
        )
        return result.model_dump(mode="json")

    @app.get("/api/v1/windows", tags=["directory"], responses=ERROR_RESPONSES)
    def api_windows(
        category: str | None = None,
        prefecture: str | None = None,
        audience: str | None = None,
        group: str | None = None,
        open_now: bool = False,
        at: str | None = None,
    ) -> list[dict[str, Any]]:
        """窓口の一覧（カテゴリ・都道府県・対象・受付中で絞り込み）。"""
        when = _parse_at(at)
        found = find_windows(
            directory,
            category=category,
            prefecture=prefecture,
            audience=audience,
            group=group,
            open_now=open_now,
            at=when,
        )
        return [window_summary(w, when) for w in found]

    @app.get("/api/v1/windows/{window_id}", tags=["directory"], responses=ERROR_RESPONSES)
    def api_window(window_id: str, at: str | None = None) -> dict[str, Any]:
        """一つの窓口について、わかっていることすべて。"""
        return window_detail(get_window(directory, window_id), _parse_at(at))

    @app.get("/api/v1/categories", tags=["directory"])
    def api_categories() -> list[dict[str, Any]]:
        return [c.model_dump() for c in directory.categories.values()]

    @app.get("/api/v1/questions", tags=["triage"])
    def api_questions() -> dict[str, Any]:
        return flow.as_json()

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The API documentation, rendered here from the app's own OpenAPI (no CDN, no script)."""
        spec = app.openapi()
        operations = [
            {"method": method.upper(), "path": path, **op}
            for path, methods in spec["paths"].items()
            for method, op in methods.items()
        ]
        return page(request, "docs.html", spec=spec, operations=operations)

    # ------------------------------------------------------------------ pages
    @app.api_route(
        "/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False
    )
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", prefectures=directory.prefectures)

    @app.post("/result", response_class=HTMLResponse, include_in_schema=False)
    async def result_from_text(request: Request) -> HTMLResponse:
        form = await request.form()
        text = str(form.get("text") or "")
        prefecture = str(form.get("prefecture") or "") or None
        audience = str(form.get("audience") or "") or None
        toggle = form.get("furigana")
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            return page(
                request,
                "home.html",
                413,
                prefectures=directory.prefectures,
                text=text[:2000],
                error="文章が長すぎます。大事なところを短く書いてください。",
            )
        try:
            result = triage(text, prefecture=prefecture, audience=audience)
        except TriageInputError as exc:
            return page(
                request,
                "home.html",
                422,
                prefectures=directory.prefectures,
                text=text,
                error=str(exc),
                prefecture=prefecture,
                audience=audience,
            )
        # The ふりがな switch on a result made from text re-posts the same form (it has no URL).
        response = page(
            request,
            "result.html",
            result=result,
            audience=result.audience,
            guides=guides,
            repost={"text": text, "prefecture": prefecture or "", "audience": audience or ""},
            furigana_override=toggle == "1" if toggle in {"0", "1"} else None,
        )
        if toggle in {"0", "1"}:
            response.set_cookie(
                FURIGANA_COOKIE, str(toggle), max_age=31536000, samesite="lax", httponly=True
            )
        return response

    @app.get("/result", response_class=HTMLResponse, include_in_schema=False)
    def result_from_answers(request: Request) -> Response:
        answers = _answers_from_query(request, flow)
        if not answers:
            return RedirectResponse("/questions", status_code=303)
        try:
            result = triage(None, answers=answers)
        except TriageInputError as exc:
            return page(request, "error.html", 422, message=str(exc))
        return page(request, "result.html", result=result, audience=result.audience, guides=guides)

    @app.get("/questions", response_class=HTMLResponse, include_in_schema=False)
    def questions(
        request: Request, q: str | None = None, came_from: str | None = Query(None, alias="from")
    ) -> Response:
        answers = _answers_from_query(request, flow)
        current = q or flow.start
        if came_from is not None:
            current = flow.next_after(came_from, answers.get(came_from))
            if came_from in {"prefecture"} and came_from not in answers:
                current = flow.next_after(came_from, None)
        if current == END or flow.get(current) is None:
            return RedirectResponse("/result?" + _answers_query(answers), status_code=303)
        question = flow.get(current)
        assert question is not None
        path = _path_to(flow, answers, current)
        previous = path[-1] if path else None
        kept = {k: v for k, v in answers.items() if k in path}
        back = None
        if previous is not None:
            back_answers = {k: v for k, v in kept.items() if k != previous}
            back = "/questions?" + _answers_query(back_answers, q=previous)
        return page(
            request,
            "question.html",
            question=question,
            answers=kept,
            hidden=_hidden(kept),
            back=back,
            step=len(path) + 1,
            total=len(flow.questions),
            prefectures=directory.prefectures,
            audience=kept.get("audience"),
        )

    @app.get("/windows", response_class=HTMLResponse, include_in_schema=False)
    def browse(
        request: Request,
        category: str | None = None,
        group: str | None = None,
        prefecture: str | None = None,
        audience: str | None = None,
    ) -> HTMLResponse:
        found = find_windows(
            directory,
            category=category or None,
            group=group or None,
            prefecture=prefecture or None,
            audience=audience or None,
        )
        now = dt.datetime.now(dt.UTC)
        return page(
            request,
            "windows.html",
            windows=[window_summary(w, now) for w in found],
            category=category or "",
            group=group or "",
            prefecture=prefecture or "",
            audience_filter=audience or "",
            prefectures=directory.prefectures,
        )

    @app.get("/windows/{window_id}", response_class=HTMLResponse, include_in_schema=False)
    def window_page(request: Request, window_id: str) -> HTMLResponse:
        window = get_window(directory, window_id)
        detail = window_detail(window)
        return page(request, "window.html", w=window, s=detail)

    @app.get("/furigana", include_in_schema=False)
    def furigana(on: int = 1, next: str = "/") -> Response:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            FURIGANA_COOKIE, "1" if on else "0", max_age=31536000, samesite="lax", httponly=True
        )
        return response

    @app.get("/mode", include_in_schema=False)
    def mode(child: int = 0, next: str = "/") -> Response:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            "mode", "child" if child else "general", max_age=31536000, samesite="lax", httponly=True
        )
        return response

    if local:
        try:
            from ..cases import web as case_web
        except ImportError:  # pragma: no cover - the case pages are optional
            case_web = None  # type: ignore[assignment]
        if case_web is not None:
            app.include_router(case_web.router)

    app.add_middleware(SecurityAndLimits)
    return app


def _ruby(text: Any, on: bool) -> Markup:
    if text is None:
        return Markup("")
    if not on:
        return Markup(escape(str(text)))
    from ..understanding.furigana import ruby

    return ruby(str(text))


def _emergency_lines(directory: Any, child: bool) -> list[dict[str, Any]]:
    """110 and a crisis line for the header of every page, from the directory (never hard-coded)."""
    ids = ["police-110", "kodomo-sos-dial-24h" if child else "yorisoi-hotline"]
    out = []
    for window_id in ids:
        window = directory.get(window_id)
        if window is not None and window.phones:
            out.append({"id": window.id, "name": window.name, "phone": window.phones[0]})
    return out


def _parse_at(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"at の日時が読めません: {value!r}") from None


def _answers_from_query(request: Request, flow: Any) -> dict[str, Any]:
    """Guided answers from `a.<question>` query parameters; unknown values are dropped."""
    answers: dict[str, Any] = {}
    for question in flow.questions:
        values = [v for v in request.query_params.getlist(f"a.{question.id}") if v]
        if not values:
            continue
        if question.type == "prefecture":
            answers[question.id] = values[0][:20]
            continue
        allowed = {c.value for c in question.choices}
        values = [v for v in values if v in allowed]
        if not values:
            continue
        answers[question.id] = values if question.type == "multi" else values[0]
    return answers


def _answers_query(answers: dict[str, Any], **extra: str) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in answers.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((f"a.{key}", v))
    pairs += list(extra.items())
    return urlencode(pairs)


def _hidden(answers: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f"a.{key}", v)
        for key, value in answers.items()
        for v in (value if isinstance(value, list) else [value])
    ]


def _path_to(flow: Any, answers: dict[str, Any], target: str) -> list[str]:
    """The questions asked before `target`, replaying the flow with the answers given."""
    path: list[str] = []
    current = flow.start
    while current != target and current != END and len(path) < len(flow.questions):
        path.append(current)
        current = flow.next_after(current, answers.get(current))
    return path if current == target else []
