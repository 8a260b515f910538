"""The registry of offices (``data/registry/offices.csv``) and matching printed names against it.

Report titles name the same office in many ways: with or without the city and district
(洛阳市老城区道北路街道办事处 / 道北路街道), 街道 or 街道办事处, 管理委员会 or 管委会, 人民政府
or 政府, full- or half-width brackets, and OCR slips (沐阳县 for 沭阳县). A name is split into
the district it states (if any) and its *base*, the base is normalised, and (district, base) is
looked up; failing that, a fuzzy match above a threshold is accepted with a warning. An office
not in the registry keeps the district its name states and gets a warning.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

KINDS = ("街道", "乡镇", "部门", "政府")
DEFAULT_FUZZY_THRESHOLD = 0.8

_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）",
                           "〔": "（", "〕": "）", "{": "（", "}": "）"})
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_BRACKETED = re.compile(r"（[^（）]*）")
_PROVINCE = re.compile(r"^(?:[^省市区县]{2,4}省|[^省市区县]{2,7}自治区)")
_CITY = re.compile(r"^[^省市区县]{2,4}(?:市|自治州|地区|盟)")
# A district the registry does not know, stated at the start of a name: 某某区, 某某县, 某某旗.
_ANY_DISTRICT = re.compile(r"^[^省市区县]{1,6}[区县旗](?=.)")
_ALIAS_SEPARATORS = re.compile(r"[|;；、]")
_YES = {"1", "true", "yes", "y", "是", "t"}
# Characters that tell sibling offices apart (东关街道 / 西关街道, 一中 / 二中): a name that
# differs from a registry name in one of these is another office, not an OCR slip.
_DISTINCTIVE = set("东南西北中上下前后左右新老大小一二三四五六七八九十")

# Variants of one office's base name, normalised in this order.
_BASE_REWRITES = (
    (re.compile(r"管理委员会"), "管委会"),
    (re.compile(r"人民政府"), "政府"),
    (re.compile(r"街道办事处$|街道办$"), "街道"),
    (re.compile(r"([镇乡])政府$"), r"\1"),
)


@dataclass(frozen=True)
class Office:
    office: str
    district: str
    kind: str
    aliases: tuple[str, ...] = ()
    expected: bool = True


@dataclass(frozen=True)
class OfficeMatch:
    """What a printed office name was taken to mean."""

    office: str | None
    district: str | None
    kind: str | None
    match: str  # exact | alias | normalised | fuzzy | unknown
    warning: str | None = None


def clean_office_name(name: str) -> str:
    """The printed name with spaces removed and brackets made full-width (for display)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", name)).translate(_BRACKETS)


def normalise_base(base: str) -> str:
    for pattern, replacement in _BASE_REWRITES:
        base = pattern.sub(replacement, base)
    return base


def guess_kind(name: str) -> str:
    """The kind of an office the registry does not know, from how its name ends."""
    base = normalise_base(_BRACKETED.sub("", clean_office_name(name)))
    if base.endswith("街道"):
        return "街道"
    if base.endswith(("镇", "乡")):
        return "乡镇"
    if base.endswith(("政府", "管委会")):
        return "政府"
    return "部门"


class Registry:
    def __init__(self, offices: list[Office], fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD):
        self.offices = list(offices)
        self.fuzzy_threshold = fuzzy_threshold
        self.districts = sorted({o.district for o in self.offices if o.district}, key=len,
                                reverse=True)
        self._by_name: dict[str, tuple[Office, str]] = {}
        self._by_key: dict[tuple[str, str], set[Office]] = {}
        for o in self.offices:
            self._by_name.setdefault(clean_office_name(o.office), (o, "exact"))
            for alias in o.aliases:
                self._by_name.setdefault(clean_office_name(alias), (o, "alias"))
            for name in (o.office, *o.aliases):
                for key in self._keys(name, default_district=o.district):
                    self._by_key.setdefault(key, set()).add(o)
        self.resolve = lru_cache(maxsize=None)(self._resolve)

    @classmethod
    def load(cls, path: Path | str | None, **kwargs) -> Registry:
        """Read ``offices.csv`` (columns office, aliases, district, kind, expected); a missing
        path gives an empty registry, so every office is unknown."""
        if path is None or not Path(path).exists():
            return cls([], **kwargs)
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls([_office_from_row(r) for r in rows], **kwargs)

    def split_name(self, name: str) -> tuple[str | None, str]:
        """(district stated by the name or None, the rest), province and city dropped."""
        rest = _PROVINCE.sub("", clean_office_name(name))
        for candidate in (rest, _CITY.sub("", rest)):
            for district in self.districts:
                if candidate.startswith(district) and len(candidate) > len(district):
                    return district, candidate[len(district):]
        rest = _CITY.sub("", rest)
        m = _ANY_DISTRICT.match(rest)
        if m:
            return m.group(0), rest[m.end():]
        return None, rest

    def _keys(self, name: str, default_district: str | None = None) -> list[tuple[str, str]]:
        """Lookup keys (district, normalised base): with and without bracketed parts."""
        district, base = self.split_name(name)
        district = district or default_district or ""
        bases = [normalise_base(base), normalise_base(_BRACKETED.sub("", base))]
        return [(district, b) for b in dict.fromkeys(bases) if b]

    def _resolve(self, printed: str | None) -> OfficeMatch:
        if not printed or not clean_office_name(printed):
            return OfficeMatch(None, None, None, "unknown", "报告中未找到机关名称")
        cleaned = clean_office_name(printed)
        if cleaned in self._by_name:
            office, how = self._by_name[cleaned]
            return _matched(office, how)

        district, _ = self.split_name(printed)
        candidates: set[Office] = set()
        for key in self._keys(printed):
            candidates |= self._lookup(key, district_stated=district is not None)
        if len(candidates) == 1:
            return _matched(candidates.pop(), "normalised")
        if len(candidates) > 1:
            names = "、".join(sorted(o.office for o in candidates))
            return OfficeMatch(cleaned, district, guess_kind(printed), "unknown",
                               f"机关名称“{printed}”可对应名录中多个机关（{names}），未能确定，请核对")

        fuzzy = self._fuzzy(printed)
        if fuzzy is not None:
            office, ratio = fuzzy
            return _matched(office, "fuzzy",
                            f"机关名称“{printed}”与名录中的“{office.office}”近似"
                            f"（相似度{ratio:.2f}），按后者归档，请核对")
        where = f"，按名称所示归入{district}" if district else "，名称未写明所属区县"
        return OfficeMatch(cleaned, district, guess_kind(printed), "unknown",
                           f"机关名称“{printed}”不在机关名录中{where}")

    def _lookup(self, key: tuple[str, str], district_stated: bool) -> set[Office]:
        district, base = key
        if district_stated:
            return set(self._by_key.get(key, ()))
        # No district in the name: any district's office with this base name.
        return {o for (d, b), offices in self._by_key.items() if b == base for o in offices}

    def _fuzzy(self, printed: str) -> tuple[Office, float] | None:
        """The one registry office whose name is closest to the printed one, if it is above
        the threshold, strictly closer than any other office, and the characters that differ
        could be a slip. A name that states a district the registry knows is only compared with
        that district's offices."""
        district, _ = self.split_name(printed)
        stated = district is not None
        targets = self._forms(printed, with_district=stated)
        scored = []
        for o in self.offices:
            if district in self.districts and o.district != district:
                continue
            forms = set().union(*(self._forms(n, stated, o.district) for n in (o.office, *o.aliases)))
            scored.append(max(((_similarity(t, f), t, f, o) for t in targets for f in forms),
                              key=lambda item: item[0]))
        scored.sort(key=lambda item: item[0], reverse=True)
        if not scored or scored[0][0] < self.fuzzy_threshold:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None
        ratio, target, form, office = scored[0]
        if _differing_chars(target, form) & _DISTINCTIVE:
            return None
        return office, ratio

    def _forms(self, name: str, with_district: bool, default_district: str = "") -> set[str]:
        """The name as compared fuzzily: as printed and normalised, with or without district."""
        district, base = self.split_name(name)
        prefix = (district or default_district) if with_district else ""
        return {prefix + base, prefix + normalise_base(base)}

    def to_frame(self) -> pd.DataFrame:
        """The registry as rows of the ``offices`` table."""
        return pd.DataFrame({
            "office": [o.office for o in self.offices],
            "aliases": [list(o.aliases) for o in self.offices],
            "district": [o.district for o in self.offices],
            "kind": [o.kind for o in self.offices],
            "expected": [o.expected for o in self.offices],
        }, columns=["office", "aliases", "district", "kind", "expected"])


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _differing_chars(a: str, b: str) -> set[str]:
    """The characters of either string outside their longest common blocks."""
    differing: set[str] = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op != "equal":
            differing |= set(a[i1:i2]) | set(b[j1:j2])
    return differing


def _matched(office: Office, how: str, warning: str | None = None) -> OfficeMatch:
    return OfficeMatch(office.office, office.district, office.kind, how, warning)


def _office_from_row(row: dict[str, str]) -> Office:
    aliases = tuple(a.strip() for a in _ALIAS_SEPARATORS.split(row.get("aliases") or "")
                    if a.strip())
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        kind = guess_kind(row["office"])
    return Office(
        office=row["office"].strip(),
        district=(row.get("district") or "").strip(),
        kind=kind,
        aliases=aliases,
        expected=(row.get("expected") or "1").strip().lower() in _YES,
    )


def write_registry(offices: list[Office], path: Path) -> None:
    """Write ``offices.csv`` (aliases joined with ``|``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["office", "aliases", "district", "kind", "expected"])
        for o in offices:
            w.writerow([o.office, "|".join(o.aliases), o.district, o.kind,
                        "1" if o.expected else "0"])
