"""Matching printed office names against the registry of offices."""

from __future__ import annotations

import pytest

from nianbao.registry import Office, Registry, clean_office_name, guess_kind, write_registry

OFFICES = [
    Office("老城区道北路街道办事处", "老城区", "街道", aliases=("道北路办事处",)),
    Office("老城区西关街道办事处", "老城区", "街道"),
    Office("洛阳市老城区财政局", "老城区", "部门"),
    Office("西工区道北路街道办事处", "西工区", "街道"),
    Office("沭阳县人民政府", "沭阳县", "政府"),
    Office("沭阳县发展和改革局", "沭阳县", "部门"),
    Office("钱集镇人民政府", "沭阳县", "乡镇"),
    Office("平潭综合实验区管委会", "平潭综合实验区", "政府"),
    Office("新沂市人民政府", "新沂市", "政府", expected=False),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(OFFICES)


@pytest.mark.parametrize("printed, office, how", [
    ("老城区道北路街道办事处", "老城区道北路街道办事处", "exact"),
    ("道北路办事处", "老城区道北路街道办事处", "alias"),
    # city and district prefixes
    ("洛阳市老城区道北路街道办事处", "老城区道北路街道办事处", "normalised"),
    ("老城区财政局", "洛阳市老城区财政局", "normalised"),
    ("宿迁市沭阳县发展和改革局", "沭阳县发展和改革局", "normalised"),
    ("江苏省新沂市人民政府", "新沂市人民政府", "normalised"),  # a county-level city as district
    ("福建省平潭综合实验区管委会", "平潭综合实验区管委会", "normalised"),
    # 街道 vs 街道办事处, 管委会, 人民政府 vs 政府, 镇
    ("老城区道北路街道", "老城区道北路街道办事处", "normalised"),
    ("西关街道办事处", "老城区西关街道办事处", "normalised"),  # no district, one office of that name
    ("平潭综合实验区管理委员会", "平潭综合实验区管委会", "normalised"),
    ("沭阳县政府", "沭阳县人民政府", "normalised"),
    ("钱集镇", "钱集镇人民政府", "normalised"),
    ("沭阳县钱集镇人民政府", "钱集镇人民政府", "normalised"),
    # spaces, full-width and half-width brackets, a bracketed note
    ("老城区 道北路街道（办事处）", "老城区道北路街道办事处", "normalised"),
    ("洛阳市老城区财政局(本级)", "洛阳市老城区财政局", "normalised"),
    # OCR slips: fuzzy, with a warning
    ("沐阳县人民政府", "沭阳县人民政府", "fuzzy"),
    ("沐阳县政府", "沭阳县人民政府", "fuzzy"),
    ("老城区道北璐街道办事处", "老城区道北路街道办事处", "fuzzy"),
])
def test_printed_names_find_their_office(registry, printed, office, how):
    match = registry.resolve(printed)
    assert (match.office, match.match) == (office, how)
    assert match.district == next(o.district for o in OFFICES if o.office == office)
    assert (match.warning is not None) == (how == "fuzzy")


@pytest.mark.parametrize("printed, district", [
    ("涧西区某某街道办事处", "涧西区"),       # a district the registry does not know
    ("老城区道南路街道办事处", "老城区"),     # 南 for 北 is another office, not a slip
    ("老城区东关街道", "老城区"),
    ("市场监督管理局", None),                 # no district in the name
])
def test_unknown_offices_keep_the_district_their_name_states(registry, printed, district):
    match = registry.resolve(printed)
    assert match.match == "unknown"
    assert match.office == clean_office_name(printed)
    assert match.district == district
    assert "不在机关名录中" in match.warning


def test_a_name_several_offices_share_is_not_guessed(registry):
    match = registry.resolve("道北路街道")  # 老城区 and 西工区 both have one
    assert match.match == "unknown"
    assert "多个机关" in match.warning


def test_no_name_is_unknown(registry):
    assert registry.resolve(None).match == "unknown"
    assert registry.resolve("  ").office is None


@pytest.mark.parametrize("name, kind", [
    ("某某街道办事处", "街道"), ("某某镇人民政府", "乡镇"), ("某某乡", "乡镇"),
    ("某某区人民政府", "政府"), ("某某管理委员会", "政府"), ("某某区教育局", "部门"),
])
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_registry_round_trips_through_csv(tmp_path):
    path = tmp_path / "offices.csv"
    write_registry(OFFICES, path)
    loaded = Registry.load(path)
    assert loaded.offices == OFFICES
    frame = loaded.to_frame()
    assert list(frame.columns) == ["office", "aliases", "district", "kind", "expected"]
    assert frame.loc[frame.office == "新沂市人民政府", "expected"].item() is False


def test_csv_is_read_leniently(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("\ufeffoffice,aliases,district,kind,expected\n"
                    "甲街道办事处,甲办；甲街道办,某区,,是\n"
                    "乙局,,某区,部门,0\n", encoding="utf-8")
    a, b = Registry.load(path).offices
    assert a == Office("甲街道办事处", "某区", "街道", aliases=("甲办", "甲街道办"), expected=True)
    assert b.expected is False


def test_missing_registry_file_means_every_office_is_unknown(tmp_path):
    registry = Registry.load(tmp_path / "absent.csv")
    assert registry.offices == []
    assert registry.resolve("老城区道北路街道办事处").district == "老城区"
