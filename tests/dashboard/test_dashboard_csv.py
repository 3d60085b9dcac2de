from __future__ import annotations

from dashboard.components import csv_safe, data_table


def test_formula_like_strings_are_neutralised_for_csv_export():
    assert csv_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)" and csv_safe("-cmd") == "'-cmd"
    assert csv_safe("-0.5") == "-0.5" and csv_safe("Python help") == "Python help" and csv_safe(3) == 3


def test_tables_hold_only_safe_cells():
    t = data_table("t", [{"name": "Name", "id": "n"}], [{"n": "=1+1"}, {"n": "ok"}])
    assert [r["n"] for r in t.data] == ["'=1+1", "ok"]
