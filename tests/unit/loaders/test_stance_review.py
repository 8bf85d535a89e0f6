"""Stance review (issue 19): a claim whose quote denies, rejects or does not confirm the fact it backs is recorded
with the stance made for it (``denies`` / ``declines_to_confirm``), never as ``reports``.

The patterns list every such quote in data/*.ttl — English, and the Russian and Korean quotes the data carries
verbatim (``rdkg:quote "…"@ru`` / ``@ko``; the curator's English ``rdkg:translation`` is checked with the English
pattern too); the reviewed exceptions below match a pattern but are not denials of the fact they back (each with
the reason). A new denial in the data fails here until its stance is set or it is reviewed.

Other languages of the data (de, fr, hu, id, ja, sk: 9 quotes in December 2026) were read by hand: none denies or
declines anything; their English translations are checked by the English pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace

DATA = Path(__file__).resolve().parents[3] / "data"
RDKG = Namespace("https://w3id.org/rdkg/ontology#")
DENIAL = re.compile(
    r"\bden(y|ies|ied|ial|ials)\b|\bnot (been |yet )?(explicitly |officially |publicly |independently )?"
    r"(confirm|acknowledg)|declin\w* to (confirm|comment|acknowledge)|\brefus\w* to (confirm|acknowledge)|"
    r"\breject(s|ed|ing)?\b|\bdismiss(es|ed)?\b|\bunconfirmed\b|\bdenounc\w*|\bfabricat\w*|\bgroundless\b|"
    r"(could|can|would) not (be )?(independently )?(confirm|verif)", re.IGNORECASE)
#: Russian: опровергать (refute), отрицать (deny), не подтверждать (not confirm), ложь / лживый (lie), сфабриковать /
#: фальсификация (fabricate), отвергать / отклонить (reject), голословный (unfounded), «не соответствует
#: действительности» (the stock official denial), «нечего сообщить» / «без комментариев» (nothing to report, no
#: comment), «не можем подтвердить» (cannot confirm)
DENIAL_RU = re.compile(
    r"опроверг|отрица|не\s+подтвер[дж]|\bложь\b|\bлож(ная|ное|ные|ных|ной|ью)\b|лжив|сфабрикова|фальсифи|"
    r"отверг|отклон[ия]|голословн|не\s+соответству\w*\s+действительности|нечего\s+сообщить|без\s+комментари|"
    r"воздерж\w*\s+от\s+комментари|не\s+(можем|могу|может|могут)\s+(ни\s+)?(подтверд|прокомментир)",
    re.IGNORECASE)
#: Korean: 부인하다 (deny; the verb forms only — 부인 alone is also "madam"), 사실무근 (groundless), 확인하지 않다 /
#: 확인되지 않다 / 확인해 줄 수 없다 / 확인된 바 없다 (not confirm), 날조 (fabrication), 거짓 (false), 일축 (dismiss),
#: 반박 (rebut), 근거 없는 (unfounded), 터무니없다 (absurd), 모략 (smear), 언급을 피하다 (declined to comment)
DENIAL_KO = re.compile(
    r"부인(했|하|한|해|함)|사실무근|확인(하지|되지|해\s*줄\s*수\s*없|할\s*수\s*없|된\s*바\s*없)|날조|거짓|일축|반박|"
    r"근거\s*없는|터무니\s*없|모략|언급을\s*피")
PATTERNS = {None: DENIAL, "en": DENIAL, "ru": DENIAL_RU, "ko": DENIAL_KO}
#: quotes that match a pattern but are not a denial of the fact they back, each with the reason (reviewed).
NOT_DENIALS = {
    "claim-e27": "Lavrov: 'no reason to reject this sincere act of solidarity' — Russia accepts the troops (confirms)",
    "claim-a13": "backs the DPRK Foreign Ministry's announcement rejecting the MSMT report: the outlet reports that "
                 "the rejection happened (a denial recorded as `denies` here would dispute the announcement itself)",
    "claim-m8-3": "Peskov, «пока нам нечего сообщить» (so far we have nothing to report) on a Kim visit to Moscow: it "
                  "backs the announcement 'Kremlin: no dates set for Kim Jong Un's visit to Moscow' — the statement "
                  "*is* that fact (as claim-a13), it denies nothing and leaves no fact of the graph unconfirmed",
}


def test_denials_and_non_confirmations_carry_their_stance() -> None:
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path, format="turtle")
    found = {}
    for claim, quote in graph.subject_objects(RDKG.quote):
        if matches(quote, graph.value(claim, RDKG.translation)):
            found[str(claim).rsplit("/", 1)[-1]] = (str(graph.value(claim, RDKG.stance)), str(quote))
    assert "claim-seed-31" in found, "the pattern must catch the known non-confirmation"
    assert "claim-j14" in found, "the Korean pattern must catch KCNA's 'fabricated stories' (날조된 이야기)"
    wrong = {cid: v for cid, v in found.items()
             if cid not in NOT_DENIALS and v[0] not in {"denies", "declines_to_confirm"}}
    assert not wrong, "stance should be denies or declines_to_confirm:\n" + "\n".join(
        f"{cid}: {stance}: {quote}" for cid, (stance, quote) in sorted(wrong.items()))
    assert set(NOT_DENIALS) <= set(found), "a reviewed exception no longer matches: drop it"




def matches(quote: object, translation: object) -> bool:
    """The quote by the pattern of its language (none: English), and its English translation if it has one."""
    language = getattr(quote, "language", None)
    pattern = PATTERNS.get(language)
    return bool((pattern is not None and pattern.search(str(quote))) or
                (translation is not None and DENIAL.search(str(translation))))


def test_the_russian_and_korean_patterns_catch_denials() -> None:
    """The patterns on sentences of the kind the sources use (not from the data: the data has few denials)."""
    for text in ("МИД КНДР опроверг эти сообщения", "Москва отрицает поставки", "Кремль не подтвердил визит",
                 "это ложь", "сфабрикованные обвинения", "не соответствует действительности",
                 "пока нам нечего сообщить", "Песков воздержался от комментариев", "мы не можем подтвердить"):
        assert DENIAL_RU.search(text), text
    for text in ("북한은 이를 부인했다", "사실무근이다", "국방부는 확인하지 않았다", "확인해 줄 수 없다",
                 "날조된 이야기", "거짓 주장", "보도를 일축했다", "근거 없는 주장"):
        assert DENIAL_KO.search(text), text
    for text in ("Переговоры состоялись 10 октября в Пхеньяне.",
                 "북한 노동자 1만 5천 명 정도가 러시아에 송출된 것으로 파악됐습니다.",
                 "김 위원장의 부인 리설주"):  # 부인 = "wife/madam" here, not a denial
        assert not (DENIAL_RU.search(text) or DENIAL_KO.search(text)), text
