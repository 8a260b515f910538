"""A generated inbox: reports of several districts and years, resubmissions, bad files, and the
registry of offices that goes with it, plus the manifest of what a run must make of them.

Used by the end-to-end tests, the benchmark and the sample inbox under ``data/inbox``::

    inbox = generate_inbox(Path("out"), n_reports=54, seed=3)
    # out/inbox/<district>/<year>/... , out/registry/offices.csv, out/later/...
    inbox.expected_current()   # {(office, year): sha256}

Everything is deterministic in ``seed``, file modification times included (they decide which of
two files of one run was received later).
"""

from __future__ import annotations

import hashlib
import math
import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from nianbao.generate import kinds_for, random_report, render_file
from nianbao.model import FORMAT_2019, FORMAT_2021
from nianbao.registry import Office, write_registry

# (city, district): the first three are the small test inbox; more for the benchmark.
DISTRICTS = (
    ("洛阳市", "老城区"), ("宿迁市", "沭阳县"), ("淮安市", "洪泽区"), ("郑州市", "金水区"),
    ("南京市", "鼓楼区"), ("广州市", "海珠区"), ("杭州市", "西湖区"), ("成都市", "武侯区"),
    ("武汉市", "江汉区"), ("长沙市", "岳麓区"),
)
_SYLLABLES = "安宁和平兴华康乐永福瑞祥金玉青云春明德昌泰丰盛嘉庆文武光荣建胜利新"
_DEPARTMENTS = (
    "发展和改革局", "教育局", "财政局", "民政局", "司法局", "审计局", "统计局", "生态环境局",
    "住房和城乡建设局", "交通运输局", "农业农村局", "应急管理局", "市场监督管理局",
    "卫生健康委员会", "人力资源和社会保障局", "自然资源和规划局",
)
_BASE_TIME = datetime(2025, 1, 20, 9, 0, 0)  # files arrive over the days after this

# Files no reader can take: (file name, bytes). Each must end in quarantine.
_BAD_FILES = (
    ("空白.txt", b""),
    ("扫描件.pdf", bytes(random.Random(11).randrange(256) for _ in range(2048))),
    ("会议纪要.txt", "关于召开政务公开工作会议的通知\n\n各科室：定于下周召开会议。\n".encode()),
    ("照片.png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
)


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to the inbox
    sha256: str
    mtime: datetime  # UTC
    office: str | None = None  # the registry's name (None: a bad file)
    printed_office: str | None = None
    district: str | None = None
    year: int | None = None
    report: dict | None = None  # the contract dict of what the file says
    quarantined: bool = False
    duplicate_of: str | None = None  # another path with the same bytes


@dataclass
class GeneratedInbox:
    root: Path
    offices: list[Office]
    files: list[GeneratedFile] = field(default_factory=list)  # in the inbox for the first run
    later: list[GeneratedFile] = field(default_factory=list)  # under root/later, for a second run

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def registry(self) -> Path:
        return self.root / "registry" / "offices.csv"

    def add_later_files(self) -> None:
        """Move the second run's files into the inbox (their mtimes are kept)."""
        for f in self.later:
            source, target = self.root / "later" / f.path, self.inbox / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)

    def submissions(self, runs: int = 1) -> list[GeneratedFile]:
        """One file per stored content after ``runs`` runs (1 or 2), first copy first."""
        seen, out = set(), []
        for f in self.files + (self.later if runs > 1 else []):
            if f.sha256 not in seen:
                seen.add(f.sha256)
                out.append(f)
        return out

    def expected_current(self, runs: int = 1) -> dict[tuple[str, int], str]:
        """(office, year) -> sha256 of the current submission: a later run wins, then the later
        modification time (the rule of ../shared/spec/README.md, one_current)."""
        best: dict[tuple[str, int], tuple] = {}
        batches = [self.files] + ([self.later] if runs > 1 else [])
        for run_seq, files in enumerate(batches):
            for f in files:
                if f.quarantined:
                    continue
                rank = (run_seq, f.mtime, f.path, f.sha256)
                key = (f.office, f.year)
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, f.sha256)
        return {key: sha for key, (_, sha) in best.items()}


def registry_offices(n_districts: int, per_district: int) -> list[Office]:
    """``per_district`` offices in each district: its government, then streets, towns and
    departments. Place names are unique over the whole registry."""
    places = _place_names()
    offices = []
    for _, district in DISTRICTS[:n_districts]:
        offices.append(Office(f"{district}人民政府", district, "政府"))
        for k in range(per_district - 1):
            if k % 4 == 3 and k // 4 < len(_DEPARTMENTS):
                offices.append(Office(f"{district}{_DEPARTMENTS[k // 4]}", district, "部门"))
            elif k % 4 == 2:
                offices.append(Office(f"{next(places)}镇人民政府", district, "乡镇"))
            else:
                offices.append(Office(f"{district}{next(places)}街道办事处", district, "街道"))
    return offices


def _place_names():
    """Place names, no two alike: two syllables, both varying from one name to the next (every
    pair once), then the same with 东/西/南/北 after them."""
    n = len(_SYLLABLES)
    for suffix in ("", "东", "西", "南", "北"):
        for q in range(n):
            for r in range(n):
                first, second = _SYLLABLES[r], _SYLLABLES[(7 * r + q) % n]
                if first != second:
                    yield first + second + suffix


def printed_variant(office: Office, city: str, rng: random.Random) -> str:
    """How a report's title may print the office: as registered, with the city, short."""
    name = office.office
    choice = rng.random()
    if choice < 0.25 and not name.startswith(city):
        return city + name
    if choice < 0.45 and name.endswith("街道办事处"):
        return name.removesuffix("办事处")
    if choice < 0.55 and name.endswith("人民政府") and office.kind == "乡镇":
        return office.district + name
    return name


def generate_inbox(root: Path, n_reports: int = 54, *, n_districts: int = 3, n_years: int = 3,
                   seed: int = 0, layouts: tuple[str, ...] = ("tsv", "html"),
                   resubmissions: int = 4, bad_files: bool = True,
                   later_resubmissions: int = 2) -> GeneratedInbox:
    """Write ``root/inbox``, ``root/registry/offices.csv`` and ``root/later`` (files for a
    second run: resubmissions with *older* modification times, which must still win)."""
    rng = random.Random(seed)
    years = list(range(2022 - n_years + 1, 2023))  # ends in 2022; 2019/2020 use the 2019 format
    per_district = math.ceil(n_reports / (n_districts * n_years))
    offices = registry_offices(n_districts, per_district)
    cities = dict((d, c) for c, d in DISTRICTS)
    inbox = GeneratedInbox(root, offices + [_never_reporting(offices[0].district)])
    write_registry(inbox.offices, inbox.registry)

    slots = [(o, y) for y in years for o in offices][:n_reports]
    clock = iter(range(10**9))

    def write(folder: Path, office: Office | None, year: int, printed: str, mtime: datetime,
              report: dict) -> GeneratedFile:
        layout = rng.choice(layouts)
        kinds = kinds_for(layout)
        report = report or random_report(rng, _format_of(year), year, printed, kinds=kinds)
        encoding = rng.choice(("utf-8", "utf-8", "gbk")) if layout != "html" else "utf-8"
        name, data = render_file(report, layout, rng, encoding)
        rel = f"{office.district if office else '其他'}/{year}/{next(clock):05d}_{name}"
        return _write_file(folder, rel, data, mtime, office=office.office if office else None,
                           printed_office=printed, district=office.district if office else None,
                           year=year, report=report)

    for i, (office, year) in enumerate(slots):
        printed = printed_variant(office, cities[office.district], rng)
        inbox.files.append(write(inbox.inbox, office, year, printed,
                                 _BASE_TIME + timedelta(minutes=i), None))
    # Corrections sent later in the same run: a newer file for the same office and year.
    for i, earlier in enumerate(rng.sample(inbox.files, min(resubmissions, len(inbox.files)))):
        office = _office_named(offices, earlier.office)
        inbox.files.append(write(inbox.inbox, office, earlier.year, office.office,
                                 _BASE_TIME + timedelta(days=3, minutes=i), None))
    # An office the registry does not know, and the OCR slip 沐 for 沭.
    extra = [("老城区新设街道办事处", offices[0], years[-1])]
    slip = next((o for o in offices if "沭" in o.office), None)
    if slip is not None:
        extra.append((slip.office.replace("沭", "沐"), slip, years[0]))
    for printed, office, year in extra:
        known = office if "沐" in printed else None
        f = write(inbox.inbox, office, year, printed, _BASE_TIME + timedelta(days=1), None)
        inbox.files.append(f if known else _as_unknown(f, office.district))
    if bad_files:
        for j, (name, data) in enumerate(_BAD_FILES):
            inbox.files.append(_write_file(inbox.inbox, f"其他/{j:02d}_{name}", data,
                                           _BASE_TIME + timedelta(hours=j), quarantined=True))
        # The same report twice under two names: stored once.
        first = inbox.files[0]
        data = (inbox.inbox / first.path).read_bytes()
        inbox.files.append(_write_file(inbox.inbox, f"其他/副本_{Path(first.path).name}", data,
                                       first.mtime + timedelta(hours=1), office=first.office,
                                       printed_office=first.printed_office,
                                       district=first.district, year=first.year,
                                       report=first.report, duplicate_of=first.path))
    # Resubmissions a second run will find, with modification times older than the originals.
    for i, earlier in enumerate(rng.sample(inbox.files[:len(slots)],
                                           min(later_resubmissions, len(slots)))):
        office = _office_named(offices, earlier.office)
        inbox.later.append(write(root / "later", office, earlier.year, office.office,
                                 earlier.mtime - timedelta(days=30, minutes=i), None))
    return inbox


def _format_of(year: int) -> str:
    return FORMAT_2019 if year <= 2020 else FORMAT_2021


def _never_reporting(district: str) -> Office:
    """An office the registry expects a report from, which never sends one (missing_report)."""
    return Office(f"{district}档案馆", district, "部门", aliases=(), expected=True)


def _office_named(offices: list[Office], name: str) -> Office:
    return next(o for o in offices if o.office == name)


def _as_unknown(f: GeneratedFile, district: str) -> GeneratedFile:
    """A file of an office not in the registry: it keeps its printed name and district."""
    return GeneratedFile(f.path, f.sha256, f.mtime, office=f.printed_office,
                         printed_office=f.printed_office, district=district, year=f.year,
                         report=f.report)


def _write_file(folder: Path, rel: str, data: bytes, mtime: datetime, **kw) -> GeneratedFile:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = (mtime - datetime(1970, 1, 1)).total_seconds()
    os.utime(path, (stamp, stamp))
    return GeneratedFile(rel, hashlib.sha256(data).hexdigest(), mtime, **kw)


def main(argv: list[str] | None = None) -> int:
    """``python -m nianbao.generate.inbox ROOT -n 12``: write ROOT/inbox and ROOT/registry."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m nianbao.generate.inbox",
                                description=main.__doc__.split(":")[0])
    p.add_argument("root", type=Path)
    p.add_argument("-n", "--reports", type=int, default=54)
    p.add_argument("--districts", type=int, default=3)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--layouts", default="tsv,html", help="comma-separated generator layouts")
    p.add_argument("--resubmissions", type=int, default=4)
    p.add_argument("--no-bad-files", action="store_true")
    args = p.parse_args(argv)
    inbox = generate_inbox(args.root, args.reports, n_districts=args.districts,
                           n_years=args.years, seed=args.seed,
                           layouts=tuple(args.layouts.split(",")),
                           resubmissions=args.resubmissions, bad_files=not args.no_bad_files,
                           later_resubmissions=0)
    print(f"{len(inbox.files)} files in {inbox.inbox}, registry {inbox.registry}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
