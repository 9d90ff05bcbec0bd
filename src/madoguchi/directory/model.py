"""The data model of the directory: windows (窓口), their channels, hours and sources.

Field names follow the Open Referral HSDS vocabulary where it fits
(organization, service, phone, schedule, eligibility, service_area), so that an
export to HSDS is a mapping rather than a rewrite. Japanese labels live in the
YAML data; these names are the English identifiers code relies on.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    """Unknown keys in the data are errors: a typo must not silently drop a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)


CATEGORY_IDS: tuple[str, ...] = (
    "defamation",
    "privacy_leak",
    "unauthorized_image",
    "sexual_image",
    "impersonation",
    "bullying",
    "harassment_stalking",
    "threat_violence",
    "phishing",
    "spam_mail",
    "fraud_billing",
    "online_shopping_trouble",
    "unauthorized_access",
    "malware_virus",
    "illegal_harmful_content",
    "child_exploitation",
    "suicide_self_harm",
    "discrimination_human_rights",
    "copyright",
    "dv_relationship",
    "gender_sexuality",
    "other",
)


class WindowKind(StrEnum):
    """What sort of place a window is; the user must always see which."""

    consultation = "consultation"  # 相談窓口: a person listens and advises
    report_only = "report_only"  # 通報窓口: takes reports, does not consult
    platform_form = "platform_form"  # a service's own report / removal form
    emergency = "emergency"  # 110 and crisis lines
    legal = "legal"  # lawyers, 法テラス
    information = "information"  # a page or list that points elsewhere


class Audience(StrEnum):
    general = "general"
    child = "child"
    parent = "parent"
    woman = "woman"
    man = "man"
    lgbtq = "lgbtq"
    elderly = "elderly"
    business = "business"
    foreign_resident = "foreign_resident"
    teacher = "teacher"


class Service(StrEnum):
    advice = "advice"
    deletion_request_on_behalf = "deletion_request_on_behalf"
    deletion_advice = "deletion_advice"
    report_to_police = "report_to_police"
    investigation = "investigation"
    legal_representation = "legal_representation"
    legal_advice = "legal_advice"
    platform_takedown = "platform_takedown"
    report_intake = "report_intake"
    referral = "referral"
    crisis_support = "crisis_support"
    emergency_response = "emergency_response"
    counselling = "counselling"
    information = "information"


class PhoneFee(StrEnum):
    """How a call is charged; short codes are their own kind of number."""

    toll_free = "toll_free"  # フリーダイヤル 0120 / 0800: free of charge
    navi_dial = "navi_dial"  # ナビダイヤル 0570: charged to the caller
    normal = "normal"  # an ordinary fixed or mobile number: normal call charges
    short_code = "short_code"  # #9110, 188, 110 …: charge depends on the code
    emergency = "emergency"  # 110 / 119: free


class Phone(_Strict):
    """A number a person can call; `number` is the official display string."""

    number: str
    fee: PhoneFee
    label: str | None = None  # e.g. 「LINE以外の電話相談」「IP電話から」
    note: str | None = None

    @field_validator("number")
    @classmethod
    def _display_string(cls, value: str) -> str:
        value = value.strip()
        if not re.fullmatch(r"#?[0-9]+(-[0-9]+)*", value):
            raise ValueError(f"電話番号の表記が不正です: {value!r}（例: 0570-003-110, #9110, 188）")
        return value

    @property
    def dial(self) -> str:
        """The number to dial: digits, and a leading # for short codes (#9110)."""
        return self.number.replace("-", "")

    @property
    def tel(self) -> str:
        """The href for tap-to-call; `#` is escaped, or a browser reads it as a page anchor."""
        return "tel:" + self.dial.replace("#", "%23")


class ChannelType(StrEnum):
    line = "line"
    web_form = "web_form"
    email = "email"
    in_person = "in_person"
    chat = "chat"
    sns = "sns"
    website = "website"  # information page / list of local offices
    letter = "letter"


class Channel(_Strict):
    """A way to reach a window other than a phone call."""

    type: ChannelType
    url: str | None = None
    label: str | None = None
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not re.fullmatch(r"(https?://|mailto:)[^\s<>\"']+", value):
            raise ValueError(f"URL が不正です: {value!r}")
        return value


Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME = re.compile(r"([01][0-9]|2[0-4]):[0-5][0-9]")


class ScheduleRule(_Strict):
    """HSDS-style weekly schedule line: open on `byday` from `opens_at` to `closes_at` (JST).

    `closes_at` may be earlier than `opens_at` for lines that run past midnight
    (e.g. 16:00 → 09:00 next morning).
    """

    byday: list[Weekday]
    opens_at: str
    closes_at: str

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _TIME.fullmatch(value) or (value.startswith("24") and value != "24:00"):
            raise ValueError(f"時刻は HH:MM で書いてください: {value!r}")
        return value


class Closure(_Strict):
    """A yearly span of days closed, like the year-end 12/29–1/3."""

    start: str  # MM-DD
    end: str  # MM-DD, inclusive; may wrap over the new year
    label: str

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", value):
            raise ValueError(f"日付は MM-DD で書いてください: {value!r}")
        return value


class Hours(_Strict):
    """When a window takes calls. `always_open` for 24-hour lines; no rules = unknown."""

    text: str
    always_open: bool = False
    schedule: list[ScheduleRule] = Field(default_factory=list)
    closed_on_holidays: bool = False
    closures: list[Closure] = Field(default_factory=list)
    # Dated one-off closures (YYYY-MM-DD), e.g. a building inspection day.
    closed_dates: list[dt.date] = Field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.always_open or bool(self.schedule)


class Fee(StrEnum):
    free = "free"
    charged = "charged"  # the call or the service costs money
    free_for_residents = "free_for_residents"
    call_charge_only = "call_charge_only"  # consultation free, call charged (0570)
    varies = "varies"


class Region(_Strict):
    """`national`, or a prefecture by its JIS X 0401 code ("41") and name ("佐賀県")."""

    code: str
    name: str

    @field_validator("code")
    @classmethod
    def _jis_code(cls, value: str) -> str:
        if value != "national" and not re.fullmatch(r"(0[1-9]|[1-3][0-9]|4[0-7])", value):
            raise ValueError(f"region.code は national か JIS X 0401 の 2 桁です: {value!r}")
        return value

    @property
    def is_national(self) -> bool:
        return self.code == "national"


class Organization(_Strict):
    """Who runs a window (HSDS organization)."""

    name: str
    url: str | None = None


class Verification(_Strict):
    """When a window's facts were last checked against its sources, or why they could not be."""

    status: Literal["verified", "unverified"]
    date: dt.date | None = None
    method: str | None = None  # what was checked, e.g. 「公式ページの番号と受付時間を確認」
    reason: str | None = None  # why unverified

    @model_validator(mode="after")
    def _complete(self) -> Verification:
        if self.status == "verified" and self.date is None:
            raise ValueError("verified には確認日 (date) が必要です")
        if self.status == "unverified" and not self.reason:
            raise ValueError("unverified には理由 (reason) が必要です")
        return self


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]


class Window(_Strict):
    """A place a person can go: a consultation window, a hotline, a form, a lawyer."""

    id: Slug
    name: str
    aliases: list[str] = Field(default_factory=list)
    operator: Organization
    kind: WindowKind
    region: Region
    categories: list[str]
    audiences: list[Audience] = Field(default_factory=lambda: [Audience.general])
    services: list[Service] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)  # prefecture-page groupings
    # Platforms whose own form this is (x, instagram, line, tiktok, youtube, google …).
    platforms: list[str] = Field(default_factory=list)
    # Windows sharing a role are one service at two levels (e.g. the national #9110 and
    # a prefecture police's consultation line): a person's own prefecture's wins.
    local_role: str | None = None
    description: str
    eligibility: str | None = None  # HSDS eligibility: who may use it
    service_area: str | None = None  # HSDS service_area, in words
    phones: list[Phone] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    hours: Hours | None = None
    fee: Fee
    fee_text: str | None = None
    prepare: list[str] = Field(default_factory=list)  # what to have ready
    notes: list[str] = Field(default_factory=list)
    sources: list[str]
    verified: Verification

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CATEGORY_IDS]
        if unknown:
            raise ValueError(f"未知のカテゴリ: {', '.join(unknown)}")
        if not value:
            raise ValueError("categories が空です")
        return value

    @field_validator("sources")
    @classmethod
    def _source_urls(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("sources（出典 URL）が一つもありません")
        for url in value:
            if not re.fullmatch(r"https?://[^\s<>\"']+", url):
                raise ValueError(f"出典 URL が不正です: {url!r}")
        return value

    @property
    def urls(self) -> list[str]:
        """Each channel URL once, in the order the data gives."""
        return list(dict.fromkeys(c.url for c in self.channels if c.url))

    @property
    def is_national(self) -> bool:
        return self.region.is_national


class Category(_Strict):
    id: str
    label: str
    easy_label: str  # やさしい日本語
    description: str

    @field_validator("id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in CATEGORY_IDS:
            raise ValueError(f"未知のカテゴリ id: {value!r}")
        return value


class Group(_Strict):
    """A heading under which prefecture pages list windows (the Saga page's three groups)."""

    id: Slug
    label: str
    description: str
    categories: list[str] = Field(default_factory=list)
    notice: str | None = None  # e.g. 「相談窓口ではありませんのでお気を付けください。」


class Prefecture(_Strict):
    code: str
    name: str  # 佐賀県
    short: str  # 佐賀
    romaji: str  # saga
