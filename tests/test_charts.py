"""The report chart: a valid PNG, drawn headless in a font that has every Vietnamese letter
of its labels (no missing-glyph boxes)."""

from __future__ import annotations

import io
import warnings

from matplotlib.ft2font import FT2Font
from PIL import Image

from bot.charts import FONT_PATH, chart_labels, render_chart
from bot.settings import Settings

SETTINGS = Settings(_env_file=None, database_url="sqlite+aiosqlite:///unused.sqlite3")


def unit(code: str, name: str, rate: float, members: int = 100) -> dict:
    return {"org": {"code": code, "name": name}, "year": 2026, "members": members, "rate": rate,
            "admissions_by_year": {"2020": 3, "2021": 5, "2022": 4, "2023": 6, "2024": 2, "2025": 5, "2026": 4},
            "children": []}


REPORT = {
    **unit("T", "Tỉnh ủy Bình Định", 0.035, 1000),
    "children": [unit("H1", "Huyện ủy Hoài Ân", 0.05), unit("H2", "Thị ủy Hoài Nhơn", 0.021),
                 unit("H3", "Đảng ủy Khối doanh nghiệp tỉnh — đơn vị có tên rất dài để thử cắt", 0.0),
                 unit("H4", "Thành ủy Quy Nhơn: ưu tú, Đảng, dự bị, chính thức", 0.041)],
}


def test_the_chart_is_a_png_with_every_label_in_the_font():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(REPORT, SETTINGS)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.size[0] > 1000 and image.size[1] > 600
    # matplotlib warns "Glyph … missing from font" for a character the font lacks
    assert not [w for w in caught if "missing" in str(w.message).lower()]

    font = FT2Font(str(FONT_PATH))
    assert font.family_name == "DejaVu Sans"
    glyphs = set(font.get_charmap())
    labels = chart_labels(REPORT, SETTINGS)
    text = "".join(labels)
    assert "ỷ" in text and "ạ" in text and "Đ" in text and "ư" in text  # the labels are Vietnamese
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in glyphs}
    assert missing == set()


def test_many_units_and_no_units():
    many = {**REPORT, "children": [unit(f"C{i}", f"Chi bộ thôn số {i}", i / 1000) for i in range(60)]}
    assert render_chart(many, SETTINGS)[:4] == b"\x89PNG"
    assert any("20 đơn vị khác" in label for label in chart_labels(many, SETTINGS))
    alone = {**REPORT, "children": []}  # a cell: its own bar
    assert render_chart(alone, SETTINGS)[:4] == b"\x89PNG"
