"""triage(): categories, urgency, routing by audience/region/want, hours, steps and the contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from madoguchi import TriageResult, triage
from madoguchi.routing.triage import TriageInputError
from madoguchi.understanding import lexicon
from madoguchi.understanding.text import analyse

WEEKDAY = "2026-11-25T10:00:00+09:00"  # Wednesday morning
HOLIDAY = "2026-11-23T10:00:00+09:00"  # 勤労感謝の日 (Monday)
YEAR_END = "2026-12-30T10:00:00+09:00"


def ids(result: TriageResult) -> list[str]:
    return [r.id for r in result.recommendations]


# One everyday phrasing per category, written the way people write; the category must lead
# or follow right after.
CATEGORY_CASES = {
    "defamation": "匿名掲示板で悪口を書かれまくってる",
    "privacy_leak": "本名と住んでる市を晒された",
    "unauthorized_image": "インスタで勝手に写真を載せられた",
    "sexual_image": "元彼にリベンジポルノされた",
    "impersonation": "私になりすました偽アカウントが作られてる",
    "bullying": "クラスのグループLINEで無視されて悪口を言われてる",
    "harassment_stalking": "知らない人から毎日しつこくDMが来てつきまとわれてる",
    "threat_violence": "殺害予告が届いた",
    "phishing": "宅配の不在通知SMSのリンクを開いてカード番号を入力してしまった",
    "spam_mail": "迷惑メールが毎日大量に届く",
    "fraud_billing": "身に覚えのない有料サイトの請求が来た。払わないと裁判だって",
    "online_shopping_trouble": "ネット通販で買った商品が届かない。ショップと連絡がとれない",
    "unauthorized_access": "インスタのアカウントを乗っ取られてログインできない",
    "malware_virus": "ウイルスに感染しましたという警告画面が出て消えない",
    "illegal_harmful_content": "違法な薬物を売っている書き込みを見つけたので通報したい",
    "child_exploitation": "中学生の娘がSNSで知り合った大人に裸の写真を送れと言われている",
    "suicide_self_harm": "もう死にたい",
    "discrimination_human_rights": "国籍を理由に差別的な書き込みをされた",
    "copyright": "自分が描いたイラストを無断転載された",
    "dv_relationship": "彼氏に束縛されてスマホを毎日チェックされる",
    "gender_sexuality": "同性が好きなことをSNSでアウティングされた",
    "other": "子どものスマホのフィルタリングの設定の仕方がわからない",
}


@pytest.mark.parametrize(("category", "text"), sorted(CATEGORY_CASES.items()))
def test_each_category_is_recognised(category: str, text: str) -> None:
    result = triage(text, at=WEEKDAY)
    found = [c.id for c in result.categories]
    assert category in found[:2], (text, found)
    assert result.recommendations, text
    hit = next(c for c in result.categories if c.id == category)
    if category != "other":
        assert hit.evidence, (text, hit)


# Several troubles in one text: the more specific one leads (lexicon.yaml `precedence`).
LEADS = [
    ("suicide_self_harm", "学校でもネットでもいじめられて、死にたい"),
    ("sexual_image", "元カレに撮られた裸の写真を、インスタで勝手に載せられた"),
    ("copyright", "私が撮った風景写真を、知らない会社がホームページで無断転載してる"),
    ("gender_sexuality", "ゲイだってことをクラスのグループLINEでアウティングされた"),
    # Words of wanting to die put suicide first even beside much more about bullying.
    (
        "suicide_self_harm",
        "前の友だちが裏垢で私の悪口を書いてて、写真に「消えろ」って。学校に居場所がない。"
        "夜中にどうやったら楽に死ねるか調べてる",
    ),
    # Mockery in the slang of sexuality is about sexuality, not only teasing.
    ("gender_sexuality", "部活のグループLINEで、しゃべり方がオネエってずっとネタにされてる"),
    # A child's own sexual images are child exploitation, whoever writes.
    ("child_exploitation", "インスタで裸の写真ばらまくって脅されてる。中2です"),
    ("child_exploitation", "高1の娘が彼氏に送った裸の写真を拡散されました"),
    # Said tersely (高1。, 15才, 弟（中1）), or about images taken while under 18.
    ("child_exploitation", "高1。前に送った写真、もっと送らないとばらまくって毎日来る"),
    ("child_exploitation", "15才　はだかの写メばらまくって脅されてる"),
    ("child_exploitation", "当時未成年だった頃に撮られた裸の写真がネットに出回ってる"),
    # A child who is only mentioned does not make an adult's images a child's.
    ("sexual_image", "25歳です。元カレに裸の写真をばらまくって脅されてる"),
    ("sexual_image", "子どもと二人暮らしです。元夫に裸の写真をネットにばらまかれた"),
    # An extortion with intimate images: the images are the trouble, the threat comes second.
    ("sexual_image", "ビデオ通話で脱いだら録画されてた。金払わないと知り合いにばらまくって"),
    # Even with a threat to kill in it (the emergency block still comes first).
    ("sexual_image", "「動画ばらまかれたくなかったら会いに来い、来ないなら殺す」ってDMが来た"),
    # An ex or a partner who holds the images over the person: sextortion first, DV second.
    ("sexual_image", "同棲してた彼が、私の裸の動画を消してくれない。出ていくなら職場に送るって"),
    # Weak words that add up are not decisive: 元夫 said four times is not an intimate image.
    (
        "dv_relationship",
        "元夫と離婚しました。元夫が子どものタブレットに見守りアプリを入れていて、"
        "元夫に私の居場所が全部わかっていた。元夫は結婚中から私の行動を管理する人でした",
    ),
    # A partner's threat is DV (the DV windows fit); an ex's or a stranger's stays a threat.
    ("dv_relationship", "同棲してる彼が、喧嘩のたびに「殺すぞ」ってLINEしてくる"),
    ("threat_violence", "夫の元妻から「家族全員殺す」とLINEが来た"),
    # An address put online leads before the visits and calls that followed it.
    ("privacy_leak", "5chにマンション名と部屋番号を書き込まれて、知らない人からしつこく電話が来る"),
    # A password typed into a link, then the account taken: phishing is the cause.
    ("phishing", "メルカリのアカウント確認ってメールのリンクからログインしたら、売上金が消えてた"),
    # The writer's own name or photo used to ask others for money: impersonation of the
    # writer; someone posing as a son to get money from the writer stays a scam.
    (
        "impersonation",
        "Facebookで私になりすました人が、昔の友人たちに「お金を貸して」とメッセージしてる",
    ),
    ("fraud_billing", "息子を名乗るLINEが来て、電子マネーを買って番号を送ってと言われた"),
    # Someone who copies the writer's name and icon and poses as them, reposting their
    # videos: impersonation first; a work reposted under another name stays copyright.
    (
        "impersonation",
        "YouTubeで私と同じチャンネル名とアイコンの人が、私の動画を転載して私のふりをしてる",
    ),
    ("copyright", "私が描いたイラストが、知らない人のブログで無断転載されていました"),
    # A cheat tool or a file installed, then the account taken: malware is the cause.
    ("malware_virus", "ゲームのチートツールを入れたら、Discordのアカウントが乗っ取られた"),
    # A fake site found and reported is phishing (both of its report routes, its steps).
    ("phishing", "カード会社そっくりの偽サイトを見つけたので通報したいです"),
]


@pytest.mark.parametrize(("category", "text"), LEADS)
def test_the_more_specific_trouble_leads(category: str, text: str) -> None:
    assert triage(text, at=WEEKDAY).categories[0].id == category


URGENT = [
    "死にたい",
    "しにたい",
    "消えたい。もう疲れた",
    "もう全部終わりにしたい",
    "生きてる意味がわからない",
    "ベランダから飛んだら楽かな",
    "リスカがやめられない",
    "薬を全部飲んでしまおうか考えてる",
    "明日学校行ったら刺すって言われた",
    "ぶっ殺すってDMが来た",
    "家に行くぞって脅された",
    "爆破予告がうちの店の口コミに書かれた",
    "裸の画像送らないと学校にばらすって",
    "写真ばらまかれたくなかったらもっと送れって言われた。中2",
    # Sudachi's noun 刺し, one-word 皆殺し, a farewell that hands things over, romaji.
    "同じ塾のやつが「明日あいつ刺しに行く」ってグループに書いてた",
    "掲示板に「あの町の連中は皆殺しだ」と書かれていて、うちの町のことだった",
    "父から「あとのことはよろしく頼む」とだけメールが来て、電話に出ない",
    "omae korosu zo tte DM kita",
    "mou shinitai",
    # Erasing oneself, joining the dead soon, drawn to the trains; taking others along,
    # running someone over; hair pulled, blows that "sometimes" happen.
    "LINEもインスタも全部消した。最後は自分を消すつもり",
    "祖父が「早くばあさんのところへ行きたい」と何度も書き込んでいる",
    "踏切で電車が来ると吸い込まれそうになる。線路の近くに行くのが怖い",
    "元同僚が「あの会社のやつら道連れにする」と投稿していた",
    "お前の顔覚えた、今度見かけたら轢いてやるってリプが来た",
    "彼氏に髪の毛をつかまれて引きずられた",
    "旦那が酔うと、殴られることもあります",
    # Sextortion of an adult: any demand backed by intimate images.
    "元カノに、寄りを戻さないならあの時のエッチな動画を友達にばらまくって言われてる",
    "下着の写真を送った相手から、もっと送らなきゃネットに上げるぞって毎日来る",
    "住所を特定されて家の前に知らない人が来た",
    "家がバレて待ち伏せされてる",
    "夫から暴力を受けていて逃げられません",
    "SNSで知り合った人に二人きりで会おう、親には内緒ねって言われた。小6です",
    "自分がいなくなれば保険金で家族は助かるのかなと考えてしまう",
    "夫に首を絞められて、息ができなくなった",
    "「夜道に気をつけろよ」ってリプが来た",
    "中学生ぐらいの子がXで「パパ活募集」って投稿してる。通報したい",
    "ゲームで知り合った人にビデオ通話で服を脱いでって言われた。中1",
    "ママのかれしがママのスマホみてどなって、ママをたたいた。ぼくもこわい",
    "おっと が わたし を たたく。パスポート も とった",
    "職場でも SNS でも叩かれて、駅のホームで線路をずっと見てしまう",
    "全部どうでもいい。終わらせ方ばっか検索してる",
    "払わないと裸の動画を会社の人全員に送るって言われてる",
    "出会い系の掲示板に「JK紹介します」って書き込みが毎日ある",
    "家出した。ネットで知り合った人の家にいる。帰りたくない",
    "カバンの内ポケットにAirTagみたいなのが入ってた。元カレしか触ってない",
    "掲示板に家の住所と最寄りのバス停が貼られて「凸しようぜ」って",
    "睡眠薬をちょっとずつ貯めてる。もう少しで足りると思う",
    "じいちゃんが死んでから何もない。わしもそろそろそっちに行きたい",
    "見つけたらボコすって配信のコメントに書かれた",
    "レビューに「店をこわしに行く」って書かれた",
    "ライブ配信で小4の妹が「服めくって」ってコメントされてる",
    "兄がゲームをやめろと言われると親に殴りかかる",
    "知らないうちに位置情報を共有する設定にされてた。元彼に居場所が筒抜け",
    "友だちが明日にはもういないかもって言ってる",
    "兄がXのプロフを「お別れです」に変えて連絡がつかない",
    "妹が大切にしてたぬいぐるみを友達に全部譲ってる",
    "今から飛ぶってポストしてる人がいる",
    "「会ったら〇す」ってDMが来た",
    "「お前の店に車で突っ込んでやる」って書かれた",
    "「うちの猫に毒を盛ってやる」ってコメントされた",
    "「娘さんかわいいね、何かあったら大変だよね」ってメールが来た",
    "払わないとネットに動画を公開するって言われてる",
    "「JC限定の撮影会モデル募集」ってDMが娘に来た",
    "小学生の動画にエロいコメントを付けてる人たちを見つけた",
    "いない間に部屋に入られてるみたい。物の位置が変わってる",
    "前の会社の人が毎朝駅の改札で待ってる",
    "引っ越し先を特定されて、元彼からLINEが来た",
    "私のシフトに合わせて同じ人が店に来る",
    "車にGPSが付いてた",
    "ゲームのフレンドが「今夜しぬ」って書いて落ちた",
    "私が死んだらこのアカウントは消してください",
    "「その指、折りに行くから」ってリプが来た",
    "娘の写真に「この子さらってやろうか」ってコメントが付いた",
    "「次は窓ガラスじゃ済まない」ってDMが来た",
    "女子中学生を隠し撮りした動画が売られてるのを見つけた",
    "スマホを取り上げたら息子が「死んでやる」って窓を開けた",
    "「覚悟しとけよ」ってDMが毎晩来る",
    "「明日の朝礼で刃物を振り回す」って書き込みを見つけた",
    "中2です。「ご飯だけで2万あげる」ってDMが来た",
    "ブロックした相手から「見かけたら何するかわからないぞ」と来た",
    "改札を出たところに、ずっとDMしてきてた人が立ってた",
    "お店のメールに「店長を始末してやる」と届いた",
    "クラスで高校生同士のエロ動画が回ってる",
    "主人から蹴られたことがあります",
    "掲示板にうちのマンションの写真と「こいつここに住んでる」って書かれた",
    "地域の掲示板に「あの家に火つけたる」と書かれている",
    "DMをしつこく送ってきた人が、きのう家の前まで来てた",
    "もう全部やめたい",
    "ぜんぶ失った。いま橋の上に立ってる",
    "私なんかいないほうが家族は楽だと思う",
    "ブロックしたら、夜中に部屋のドアをノックしに来た",
    "「今日もお宅の前を通りましたよ」とコメントが来る",
    "息子に突き飛ばされて、スマホも取り上げられた",
    "夫に口答えすると殴られる",
    "夜になるとベランダから下をずっと見てしまう",
    "死ぬほどつらい、もう死にたい",
    "むしゃくしゃすると自分を叩いてしまう",
    "ケンカしたら彼が包丁を持ち出してきた",
    "「払わないと家族に何があっても知らんぞ」ってメールが来た",
    "「今日も部屋の電気ついてるね」ってDMが毎晩来る",
    "中2です。ゲームで知り合った人に制服の写真送ってって言われた",
]


@pytest.mark.parametrize("text", URGENT)
def test_emergencies_come_first(text: str) -> None:
    result = triage(text, at=WEEKDAY)
    assert result.urgent, text
    assert result.emergency, text
    assert result.emergency[0].kind == "emergency"  # 110 or 119 first
    assert result.emergency_reasons
    assert not set(ids(result)) & {e.id for e in result.emergency}


def test_suicide_lists_crisis_lines_and_children_get_their_lines() -> None:
    adult = triage("死にたい", at=WEEKDAY)
    assert "yorisoi-hotline" in [e.id for e in adult.emergency]
    child = triage("死にたい", audience="child", at=WEEKDAY)
    assert "kodomo-sos-dial-24h" in [e.id for e in child.emergency][:3]


CALM = [
    # 死ぬ as an intensifier (死ぬほど, 死ぬかと思った) is not a wish to die.
    "推しに死ぬほど会いたい",
    "死ぬかと思った〜スマホお風呂に落とした。電源つかない",
    "自分を責めてしまうけど、悪口を書いた人を特定したい",
    "部屋の電気代の請求メールが本物か分からない",
    "迷惑メールが多くて困っている",
    "脅迫はされていないけど、悪口がひどい",
    "もし写真が流出したらどうしようと心配です（まだ何もされていない）",
    "ネット通販で買った服のサイズが違った",
    "フィルタリングの設定方法を知りたい",
    "店の口コミでめちゃくちゃ叩かれて炎上してる",
    "ブログの記事を拡散するとお金がもらえるって本当？",
    "家出した友だちのことが心配。どこに相談すればいい？",
    "電車が遅れて線路の点検をしてるらしい",
    "対戦ゲームで毎回ボコられて悔しい",
    "スマホの画面を壊してしまった",
    "町内の掲示板に、私が野良猫に毒をまいていると嘘を書かれた",
    "ゲームを取り上げたら息子が何をするか分からなくて心配です",
    "引っ越しの後始末をしてたら、ネットで買った家具が届かない",
    "ガチャで爆死した。もうやめたいのに毎日ログインしてしまう",
    "屋上のビアガーデンの予約サイトで二重に課金された",
    # 叩かれる online is criticism, not a blow (the model sees it as its own word). The docs
    # named this one as a false alarm; 「…から黙ってる」 (DV texts keep quiet) still is one.
    "SNSで言い返すと叩かれる",
]


@pytest.mark.parametrize("text", CALM)
def test_calm_situations_are_not_urgent(text: str) -> None:
    assert not triage(text, at=WEEKDAY).urgent, text


# Calm words next to an emergency pattern's (「ここに住んでる」 said by someone hostile). The
# urgency model alone puts this one at 0.3–0.4, around the threshold: a known false alarm, the
# price of recall (docs/triage.md); the pattern itself must not fire.
PATTERN_CALM = ["ここに住んで5年になる外国人です。ネットのニュースのコメントがひどい"]


@pytest.mark.parametrize("text", PATTERN_CALM)
def test_emergency_patterns_do_not_fire_on_calm_words(text: str) -> None:
    assert not lexicon.urgent_signals(analyse(text)), text


def test_guided_answers_override_the_text() -> None:
    result = triage(
        "悪口を書かれた",
        answers={"categories": ["copyright"], "platform": "x", "want": "delete"},
        at=WEEKDAY,
    )
    assert [c.id for c in result.categories] == ["copyright"]
    assert result.categories[0].source == "answers"
    assert result.want == "delete"
    assert result.platforms == ["x"]


def test_answers_alone_are_enough_and_danger_yes_is_urgent() -> None:
    result = triage(None, answers={"danger": "yes"}, at=WEEKDAY)
    assert result.urgent
    assert result.emergency[0].id == "police-110"


def test_a_child_gets_the_childrens_windows() -> None:
    result = triage("クラスの子にLINEで悪口を書かれてる", audience="child", at=WEEKDAY)
    top = ids(result)[:3]
    assert "kodomo-no-jinken-110" in top


def test_a_woman_gets_the_womens_hotline() -> None:
    result = triage("ネットで悪口と嘘を書かれている", audience="woman", at=WEEKDAY)
    assert "josei-no-jinken-hotline" in ids(result)[:3]


def test_the_prefectures_own_windows_come_before_national_fallbacks() -> None:
    result = triage(
        "子どもがネットで悪口を書かれている", prefecture="佐賀", audience="parent", at=WEEKDAY
    )
    assert "saga-nakuna-100ban" in ids(result)[:3]
    saga_reason = next(r.reason for r in result.recommendations if r.id == "saga-nakuna-100ban")
    assert "佐賀県" in saga_reason


def test_the_national_9110_is_replaced_by_the_local_police_line() -> None:
    national = triage("しつこいストーカーに悩んでいる", want="punish", at=WEEKDAY)
    local = triage("しつこいストーカーに悩んでいる", want="punish", prefecture="41", at=WEEKDAY)
    assert "keisatsu-soudan-9110" in ids(national)
    assert "saga-police-soudan-dial" in ids(local)
    assert "keisatsu-soudan-9110" not in ids(local)


def test_wanting_to_identify_the_poster_leads_to_a_lawyer() -> None:
    result = triage("匿名で悪口を書いた犯人を特定したい", at=WEEKDAY)
    assert result.want == "identify"
    assert any(r.kind == "legal" for r in result.recommendations)


def test_deletion_on_a_platform_leads_to_its_own_form_first() -> None:
    result = triage("インスタで勝手に写真を載せられた。消してほしい", at=WEEKDAY)
    assert ids(result)[0] == "instagram-report"
    assert result.recommendations[0].kind_label == "サービスの申告フォーム"


def test_report_only_windows_rank_first_only_when_reporting() -> None:
    reporting = triage("児童ポルノのサイトを見つけたので通報したい", at=WEEKDAY)
    assert reporting.recommendations[0].kind == "report_only"
    assert any("相談窓口ではありません" in n for n in reporting.notices)
    victim = triage("掲示板に悪口を書かれた", at=WEEKDAY)
    assert victim.recommendations[0].kind == "consultation"


def test_open_now_follows_the_clock_holidays_and_year_end() -> None:
    def minna(at: str):  # type: ignore[no-untyped-def]
        result = triage("ネットで悪口を書かれた", at=at)
        return next(r for r in result.recommendations if r.id == "minna-no-jinken-110")

    assert minna(WEEKDAY).open_now is True
    holiday = minna(HOLIDAY)
    assert holiday.open_now is False
    assert holiday.next_open == "2026-11-24T08:30:00+09:00"
    year_end = minna(YEAR_END)
    assert year_end.open_now is False
    assert year_end.next_open == "2027-01-04T08:30:00+09:00"


def test_steps_start_with_what_to_do_first() -> None:
    result = triage("掲示板に悪口を書かれた", at=WEEKDAY)
    titles = [s.title for s in result.steps]
    assert any("証拠" in t for t in titles)
    assert 3 <= len(result.steps) <= 7
    urgent = triage("殺すって言われた", at=WEEKDAY)
    assert "110" in urgent.steps[0].title


def test_every_recommendation_says_why_in_one_sentence() -> None:
    result = triage("Xで実名と学校名を晒されて、悪口を書かれている。消してほしい", at=WEEKDAY)
    for rec in result.recommendations:
        assert rec.reason.endswith("。")
        assert rec.reason.count("。") == 1


def test_same_input_same_output() -> None:
    a = triage("Xでなりすましされて悪口を書かれた", prefecture="saga", at=WEEKDAY)
    b = triage("Xでなりすましされて悪口を書かれた", prefecture="saga", at=WEEKDAY)
    assert a.model_dump() == b.model_dump()


def test_json_contract_fields() -> None:
    data = json.loads(triage("インスタで勝手に写真を載せられた", at=WEEKDAY).model_dump_json())
    assert set(data) >= {"categories", "urgent", "emergency", "recommendations", "steps", "notices"}
    assert set(data["categories"][0]) >= {"id", "label", "score", "evidence"}
    rec = data["recommendations"][0]
    assert set(rec) >= {
        "id",
        "name",
        "kind",
        "phones",
        "urls",
        "hours_text",
        "open_now",
        "next_open",
        "reason",
    }
    for r in data["recommendations"]:
        for phone in r["phones"]:
            assert set(phone) >= {"number", "fee"}
    assert set(data["steps"][0]) >= {"title", "detail"}
    assert isinstance(data["urgent"], bool)
    assert data["at"].startswith("2026-11-25T10:00")


def test_time_given_in_another_zone_is_judged_in_jst() -> None:
    utc = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)
    assert triage("悪口を書かれた", at=utc).at.startswith("2026-11-25T10:00")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": ""}, "書いてください"),
        ({"text": "   \n  "}, "書いてください"),
        ({"text": "あ" * 300_000}, "長すぎ"),
        ({"text": "悪口", "prefecture": "アトランティス"}, "都道府県"),
        ({"text": "悪口", "audience": "robot"}, "対象"),
        ({"text": "悪口", "answers": {"categories": ["nope"]}}, "未知のカテゴリ"),
        ({"text": "悪口", "answers": ["not", "a", "dict"]}, "辞書"),
        ({"text": "悪口", "answers": {"want": "revenge"}}, "want"),
        ({"text": "悪口", "want": "revenge"}, "want"),
        ({"text": "悪口", "at": "tomorrow"}, "日時"),
        ({"text": 12345}, "文字列"),
    ],
)
def test_bad_input_gives_a_clear_error(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    text = kwargs.pop("text")
    with pytest.raises(TriageInputError, match=message):
        triage(text, **kwargs)


@pytest.mark.parametrize(
    "text",
    [
        "😭😭😭🙏",
        "\x00\x01\x02\x03",
        "<script>alert(1)</script>",
        "help me someone is posting my photos",
        "ａ" * 150_000,
    ],
)
def test_odd_input_gets_an_answer_not_a_crash(text: str) -> None:
    result = triage(text, at=WEEKDAY)
    assert result.recommendations or result.notices
    if "script" in text:
        dumped = result.model_dump_json()
        assert "<script>" not in dumped


def test_triage_is_safe_from_many_threads() -> None:
    # The web app runs handlers in a thread pool; Sudachi tokenizers refuse concurrent use.
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        "悪口を書かれた",
        "インスタで勝手に写真を載せられた",
        "死にたい",
        "迷惑メールが来る",
    ] * 25
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: triage(t, at=WEEKDAY), texts))
    assert [r.categories[0].id for r in results[:4]] == [
        "defamation",
        "unauthorized_image",
        "suicide_self_harm",
        "spam_mail",
    ]
    assert all(r == results[i % 4] for i, r in enumerate(results))
