"""The JSON API and pages through a real server on 127.0.0.1, including bad input."""

from __future__ import annotations

import httpx
import pytest

AT = "2026-11-25T10:00:00+09:00"


def test_healthz(client: httpx.Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_triage_contract(client: httpx.Client) -> None:
    r = client.post("/api/v1/triage", json={"text": "インスタで勝手に写真を載せられた", "at": AT})
    assert r.status_code == 200
    data = r.json()
    assert data["categories"][0]["id"] == "unauthorized_image"
    assert data["recommendations"][0]["id"] == "instagram-report"
    for rec in data["recommendations"]:
        assert {
            "id",
            "name",
            "kind",
            "phones",
            "urls",
            "hours_text",
            "open_now",
            "next_open",
            "reason",
        } <= set(rec)


def test_triage_with_answers_prefecture_and_audience(client: httpx.Client) -> None:
    body = {
        "answers": {"categories": ["bullying"], "platform": "line"},
        "prefecture": "佐賀",
        "audience": "child",
        "at": AT,
    }
    data = client.post("/api/v1/triage", json=body).json()
    assert data["prefecture"]["code"] == "41"
    assert "saga-nakuna-100ban" in [r["id"] for r in data["recommendations"]][:4]


def test_urgent_triage_puts_emergency_first(client: httpx.Client) -> None:
    data = client.post("/api/v1/triage", json={"text": "殺すって言われた"}).json()
    assert data["urgent"] is True
    assert data["emergency"][0]["phones"][0]["number"] == "110"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": ""}, 422),
        ({}, 422),
        ({"text": 123}, 422),
        ({"text": ["a"]}, 422),
        ({"text": "悪口", "prefecture": "火星"}, 422),
        ({"text": "悪口", "answers": {"categories": ["nope"]}}, 422),
        ({"text": "悪口", "at": "someday"}, 422),
        ({"text": "あ" * 17000}, 413),
    ],
)
def test_bad_triage_input(client: httpx.Client, body: dict, status: int) -> None:  # type: ignore[type-arg]
    r = client.post("/api/v1/triage", json=body)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["message"]
    assert "Traceback" not in r.text


def test_malformed_and_huge_bodies(client: httpx.Client) -> None:
    r = client.post(
        "/api/v1/triage", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "error" in r.json()
    r = client.post(
        "/api/v1/triage", content=b"\xff\xfe\x00\x01", headers={"content-type": "application/json"}
    )
    assert r.status_code in (400, 422)
    r = client.post(
        "/api/v1/triage", content=b"x" * 2_000_000, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


def test_windows_filters_and_unknown_ids(client: httpx.Client) -> None:
    windows = client.get(
        "/api/v1/windows", params={"category": "defamation", "prefecture": "41"}
    ).json()
    assert any(w["id"] == "minna-no-jinken-110" for w in windows)
    assert all(w["region"]["code"] in {"national", "41"} for w in windows)
    night = client.get(
        "/api/v1/windows", params={"open_now": "true", "at": "2026-11-29T23:00+09:00"}
    ).json()
    assert night and all(w["open_now"] for w in night)
    assert (
        client.get("/api/v1/windows/minna-no-jinken-110").json()["phones"][0]["number"]
        == "0570-003-110"
    )
    assert client.get("/api/v1/windows/no-such").status_code == 404
    assert client.get("/api/v1/windows", params={"category": "aliens"}).status_code == 422
    assert client.get("/api/v1/windows", params={"open_now": "perhaps"}).status_code == 422


def test_categories_and_questions(client: httpx.Client) -> None:
    assert len(client.get("/api/v1/categories").json()) == 22
    flow = client.get("/api/v1/questions").json()
    assert flow["start"] == "danger" and len(flow["questions"]) >= 5


def test_security_headers_on_pages_and_api(client: httpx.Client) -> None:
    for path in ["/", "/api/v1/categories", "/windows", "/nope"]:
        r = client.get(path)
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_typed_html_is_escaped(client: httpx.Client) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>ネットで悪口'
    r = client.post("/result", data={"text": evil})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    r = client.post("/result", data={"text": ""})
    assert r.status_code == 422 and "書いてください" in r.text
    r = client.post("/result", data={"text": "あ" * 9000})
    assert r.status_code == 413


def test_pages_render(client: httpx.Client) -> None:
    home = client.get("/")
    assert "何がありましたか" in home.text and 'href="tel:110"' in home.text
    result = client.post(
        "/result", data={"text": "インスタで勝手に写真を載せられた", "audience": "child"}
    )
    assert (
        "おすすめの相談先" in result.text
        and "まずやること" in result.text
        and "tel:" in result.text
    )
    assert "質問に答えて探す" in result.text
    assert "サービスの申告フォーム" in result.text
    assert client.get("/windows?group=report_removal").status_code == 200
    page = client.get("/windows/safeline").text
    assert "通報窓口（相談はできません）" in page and "出典" in page and "最終確認" in page
    assert client.get("/windows/nope").status_code == 404


def test_guided_questions_flow_and_back(client: httpx.Client) -> None:
    r = client.get("/questions")
    assert "危険" in r.text
    r = client.get("/questions", params={"from": "danger", "a.danger": "no"})
    assert "何がありましたか" in r.text and "a.danger" in r.text
    assert 'href="/questions?q=danger"' in r.text  # 戻る goes to the previous question
    r = client.get(
        "/questions",
        params=[
            ("a.danger", "no"),
            ("a.categories", "impersonation"),
            ("a.platform", "x"),
            ("a.audience", "child"),
            ("a.prefecture", "41"),
            ("from", "want"),
            ("a.want", "delete"),
        ],
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/result?")
    result = client.get(r.headers["location"])
    assert "なりすまし" in result.text and "x-help-report" in result.text
    danger = client.get(
        "/questions", params={"from": "danger", "a.danger": "yes"}, follow_redirects=True
    )
    assert "今すぐ連絡してください" in danger.text


def test_furigana_switch(client: httpx.Client) -> None:
    r = client.get("/furigana", params={"on": 1, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set("furigana", "1")
    assert "<ruby>" in client.get("/").text
    client.cookies.set("furigana", "0")
    assert "<ruby>" not in client.get("/").text
    r = client.get("/furigana", params={"next": "//evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_case_pages_only_on_loopback(client: httpx.Client) -> None:
    # The test server is bound to 127.0.0.1, so the case pages exist; a foreign Host is refused.
    assert client.get("/cases/").status_code == 200
    assert client.get("/cases/", headers={"host": "example.com"}).status_code == 403


def test_public_app_has_no_case_pages() -> None:
    from fastapi.testclient import TestClient

    from madoguchi.web import create_app

    public = TestClient(create_app(local=False))
    assert public.get("/cases/").status_code == 404


def test_concurrent_requests_all_succeed(server: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> int:
        text = ["悪口を書かれた", "インスタで写真を載せられた", "殺すと言われた", "迷惑メール"][
            i % 4
        ]
        return httpx.post(server + "/api/v1/triage", json={"text": text}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(one, range(200)))
    assert codes == [200] * 200


def test_short_code_links_escape_the_hash(client: httpx.Client) -> None:
    data = client.post(
        "/api/v1/triage", json={"text": "ストーカーに悩んでいて警察に相談したい"}
    ).json()
    # #9110 is in the emergency block when the text reads urgent, else among the recommendations.
    windows = data["emergency"] + data["recommendations"]
    tels = [p["tel"] for r in windows for p in r["phones"]]
    assert "tel:%239110" in tels
    assert all("#" not in t for t in tels)


def test_docs_page_is_served_locally(client: httpx.Client) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "/api/v1/triage" in r.text
    assert "cdn" not in r.text.lower() and "<script" not in r.text
    assert client.get("/openapi.json").json()["info"]["title"] == "madoguchi API"


def test_furigana_on_a_posted_result_keeps_the_result(client: httpx.Client) -> None:
    first = client.post("/result", data={"text": "インスタで勝手に写真を載せられた"})
    assert 'name="furigana" value="1"' in first.text
    again = client.post(
        "/result", data={"text": "インスタで勝手に写真を載せられた", "furigana": "1"}
    )
    assert again.status_code == 200 and "<ruby>" in again.text and "instagram-report" in again.text
    assert again.cookies.get("furigana") == "1"
    client.cookies.set("furigana", "0")


def test_malformed_json_is_400_and_head_works(client: httpx.Client) -> None:
    r = client.post(
        "/api/v1/triage", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "JSON" in r.json()["error"]["message"]
    assert client.head("/").status_code == 200
    assert client.head("/healthz").status_code == 200
