"""Access letters (the underlined letter Alt reaches): one per item, never the same twice in a menu,
a menu bar or a dialog. Two menus that both answered Alt+E left Send without a key at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def access_letter(text: str) -> str | None:
    """The letter after a single "&" ("S&end" -> "e"), lower case; None when there is none."""
    at = 0
    while (at := text.find("&", at)) >= 0:
        following = text[at + 1 : at + 2]
        if following == "&":
            at += 2
            continue
        return following.lower() or None
    return None


def plain(text: str) -> str:
    """The text as shown, without its access marker ("Save &as…" -> "Save as…")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def with_access_keys(texts: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Each text with its own access letter: the initial of its first word where no earlier item
    took it, then of a later word, then any letter of it (three passes over all the items, so a
    first word's initial goes to the item it starts before any other item's inner letter takes
    it). `taken`: letters already used nearby (the rest of the menu bar or dialog). A "&" of the
    text itself is doubled, so it shows as itself."""
    used = {letter.lower() for letter in taken}
    chosen: dict[int, int] = {}
    starts = [_word_starts(text) for text in texts]
    letters = [[i for i, c in enumerate(text) if c.isalnum()] for text in texts]
    passes = [[s[:1] for s in starts], [s[1:] for s in starts], letters]
    for candidates in passes:
        for number, text in enumerate(texts):
            if number in chosen:
                continue
            found = next((i for i in candidates[number] if text[i].lower() not in used), None)
            if found is not None:
                chosen[number] = found
                used.add(text[found].lower())
    out = []
    for number, text in enumerate(texts):
        at = chosen.get(number)
        if at is None:
            out.append(text.replace("&", "&&"))
        else:
            before, after = text[:at].replace("&", "&&"), text[at + 1 :].replace("&", "&&")
            out.append(f"{before}&{text[at]}{after}")
    return out


def _word_starts(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or text[i - 1] == " ")]
