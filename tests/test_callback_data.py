"""Callback data: each kind of button has one class that packs, parses and routes it. The
texts stay those that earlier versions put on buttons (a keyboard sent last week must still
work), every kind routes to exactly one place, and Telegram's 64 bytes are checked where the
data is made."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handlers import callbacks as cb

ROOT = Path(__file__).resolve().parents[1]

# One button of every kind, with the text a button of that kind has always carried.
SENT_BEFORE = [
    (cb.Consent(), "consent"),
    (cb.Consent("centrum"), "consent:centrum"),
    (cb.ConsentInvite("Ab3dEf7hJk9mNp2q"), "consentinv:Ab3dEf7hJk9mNp2q"),
    (cb.ConsentLanguage("en"), "consentlang:en"),
    (cb.ConsentLanguage("en", "centrum"), "consentlang:en:centrum"),
    (cb.Join("centrum"), "join:centrum"),
    (cb.JoinPage(3), "joinpage:3"),
    (cb.Leave("norr"), "leave:norr"),
    (cb.LeavePage(2), "leavepage:2"),
    (cb.LeaveAll(), "leaveall"),
    (cb.LeaveAll("yes"), "leaveall:yes"),
    (cb.Forget("no"), "forget:no"),
    (cb.RemoveArea("norr"), "arearm:norr"),
    (cb.RemoveArea(cb.RemoveArea.KEEP), "arearm:-"),
    (cb.RemoveAreaPick("norr"), "arearmpick:norr"),
    (cb.RemoveAreaPage(4), "arearmpage:4"),
    (cb.AuditPage(cb.AuditPage.OLDER, 41, 0), "auditpg:o:41:0"),
    (cb.AuditPage(cb.AuditPage.NEWER, 2**63 - 1, 7), f"auditpg:n:{2**63 - 1}:7"),
    (cb.TipStatus(12, "closed"), "tipst:12:closed"),
    (cb.TipUndo(12, 345), "tipundo:12:345"),
    (cb.AlertToggle("centrum"), "alert:toggle:centrum"),
    (cb.AlertAll(2), "alert:all:2"),
    (cb.AlertPage(5), "alert:page:5"),
    (cb.AlertNext(), "alert:next"),
    (cb.AlertSend(), "alert:send"),
    (cb.AlertCancel(), "alert:cancel"),
    (cb.AlertSuggestion(cb.AlertSuggestion.YES), "alert:mean:yes"),
    (cb.TipCategory("theft"), "tip:cat:theft"),
    (cb.TipArea("centrum"), "tip:area:centrum"),
    (cb.TipPage(2), "tip:page:2"),
    (cb.TipWhen(cb.TipWhen.PICK), "tip:when:pick"),
    (cb.TipDate("2026-03-01"), "tip:date:2026-03-01"),
    (cb.TipContact("phone"), "tip:contact:phone"),
    (cb.TipNext(), "tip:next"),
    (cb.TipAnyway(), "tip:anyway"),
    (cb.TipBack(), "tip:back"),
    (cb.TipSend(), "tip:send"),
    (cb.TipCancel(), "tip:cancel"),
    (cb.TipOffer(cb.TipOffer.NO), "tip:offer:no"),
]


def kinds() -> list[type[cb.CallbackData]]:
    found = []
    for value in vars(cb).values():
        if isinstance(value, type) and issubclass(value, cb.CallbackData):
            if "prefix" in vars(value):
                found.append(value)
    return found


def test_every_kind_is_covered_here() -> None:
    assert {type(data) for data, _ in SENT_BEFORE} == set(kinds())


@pytest.mark.parametrize(("data", "text"), SENT_BEFORE, ids=[t for _, t in SENT_BEFORE])
def test_packs_to_the_old_text_and_parses_back(data: cb.CallbackData, text: str) -> None:
    assert data.pack() == text
    assert type(data).parse(text) == data


@pytest.mark.parametrize(("data", "text"), SENT_BEFORE, ids=[t for _, t in SENT_BEFORE])
def test_a_press_routes_to_its_own_kind_only(data: cb.CallbackData, text: str) -> None:
    routed = [kind for kind in kinds() if re.match(kind.pattern(), text)]
    assert routed == [type(data)]
    assert [kind for kind in kinds() if kind.parse(text) is not None] == [type(data)]


def test_data_this_bot_did_not_make_parses_to_nothing() -> None:
    assert cb.Join.parse(None) is None
    assert cb.Join.parse("join") is None  # the code is required
    assert cb.JoinPage.parse("joinpage:x") is None
    assert cb.JoinPage.parse("joinpage:²") is None
    assert cb.JoinPage.parse("joinpage:-1") is None
    assert cb.TipStatus.parse("tipst:12") is None
    assert cb.TipStatus.parse("tipst:1" + "0" * 19 + ":closed") is None
    assert cb.AlertNext.parse("alert:next:extra") is None
    assert cb.AlertNext.matches("alert:next:extra")
    assert not cb.AlertNext.matches("alert:nextpage")
    # The last field takes the rest, as the readers written by hand did.
    assert cb.Join.parse("join:a:b") == cb.Join("a:b")
    assert cb.AuditPage.parse("auditpg:o:41:0:1") is None


def test_pack_refuses_what_telegram_would() -> None:
    assert len(cb.Join("x" * 59).pack().encode()) == cb.MAX_BYTES
    with pytest.raises(ValueError, match="64 bytes"):
        cb.Join("x" * 60).pack()
    with pytest.raises(ValueError, match="64 bytes"):
        cb.ConsentInvite("å" * 40).pack()
    with pytest.raises(ValueError, match="':'"):
        cb.AuditPage("o:x", 1, 2).pack()


def test_one_route_for_several_kinds() -> None:
    choose = cb.pattern(cb.AlertToggle, cb.AlertAll, cb.AlertNext, cb.AlertPage)
    assert all(
        re.match(choose, text)
        for text in ("alert:toggle:norr", "alert:all:1", "alert:next", "alert:page:2")
    )
    assert not any(re.match(choose, text) for text in ("alert:send", "alert:cancel", "tip:next"))


def _hand_made(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "InlineKeyboardButton"):
            continue
        for keyword in node.keywords:
            if keyword.arg == "callback_data" and isinstance(
                keyword.value, ast.JoinedStr | ast.Constant | ast.BinOp
            ):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_callback_data_is_written_by_hand() -> None:
    files = [*ROOT.joinpath("handlers").glob("*.py"), *ROOT.joinpath("bot").glob("*.py")]
    assert _hand_made(ROOT / "tests" / "test_keyboards.py")  # the check sees such data
    assert [found for path in files for found in _hand_made(path)] == []
