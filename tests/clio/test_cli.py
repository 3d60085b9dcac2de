"""The CLI contract of DESIGN.md through the real entry point (click's CliRunner)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clio.cli import main
from tests.fakes.planted import planted_values


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def synth(tmp_path_factory, runner):
    d = tmp_path_factory.mktemp("synth")
    res = runner.invoke(main, ["synth", "--n", "60", "--out", str(d / "s.jsonl"), "--seed", "2"])
    assert res.exit_code == 0, res.output
    return d / "s.jsonl", d / "s.labels.jsonl"


def test_help_lists_every_command(runner):
    out = runner.invoke(main, ["--help"]).output
    for cmd in ("demo", "run", "classify", "scrub", "export-assignments", "coverage", "suite", "audit", "dashboard",
                "synth"):
        assert cmd in out


def jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def invoke_to(runner, command: str, corpus, out) -> list[dict]:
    """Run `clio COMMAND CORPUS --out OUT`; the rows it wrote."""
    res = runner.invoke(main, [command, str(corpus), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return jsonl(out)


def test_synth_writes_labels_with_contract_fields(synth):
    corpus, labels = synth
    rows = jsonl(labels)
    assert len(rows) == 60
    assert set(rows[0]) == {"id", "topic", "domain", "quiz_ask", "pii"}
    assert len({r["topic"] for r in rows}) >= 12
    assert {r["quiz_ask"] for r in rows} == {"quizzing", "asking"}
    assert any(p["type"] and p["value"] for r in rows for p in r["pii"])


def test_scrub_keeps_ids_and_shape_and_removes_planted_pii(runner, synth, tmp_path):
    corpus, labels = synth
    out = tmp_path / "scrubbed.jsonl"
    got, src = invoke_to(runner, "scrub", corpus, out), jsonl(corpus)
    assert [r["id"] for r in got] == [r["id"] for r in src]
    assert [len(r["messages"]) for r in got] == [len(r["messages"]) for r in src]
    text = out.read_text()
    planted = planted_values(labels)
    assert not [v for v in planted if v in text]
    assert "user0" not in text  # user ids are hashed


def test_classify_outputs_contract_fields(runner, synth, tmp_path):
    corpus, labels = synth
    rows = invoke_to(runner, "classify", corpus, tmp_path / "c.jsonl")
    truth = {r["id"]: r["quiz_ask"] for r in jsonl(labels)}
    assert all(r["label"] in ("quizzing", "asking") and 0 <= r["score"] <= 1 for r in rows)
    acc = sum(r["label"] == truth[r["id"]] for r in rows) / len(rows)
    assert acc >= 0.9


def test_run_rejects_unknown_config_keys(runner, synth, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("cluster:\n  bogus: 1\n")
    res = runner.invoke(main, ["run", str(synth[0]), "--workspace", str(tmp_path / "w"), "--config", str(cfg)])
    assert res.exit_code == 2 and "bogus" in res.output


def test_when_no_user_ids_then_cli_names_the_flag(runner, tmp_path):
    p = tmp_path / "anon.jsonl"
    p.write_text("".join(json.dumps({"id": f"a{i}", "prompt": f"Write a cover letter for a nurse job {i % 3}"}) + "\n"
                         for i in range(40)))
    cfg = tmp_path / "c.yaml"
    cfg.write_text("embed:\n  model: hash\ncluster:\n  reducer: pca\nscrub:\n  n_process: 1\n")
    res = runner.invoke(main, ["run", str(p), "--workspace", str(tmp_path / "w"), "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert "--one-user-per-conversation" in res.output


def test_export_assignments_without_run_is_a_clear_error(runner, tmp_path):
    res = runner.invoke(main, ["export-assignments", "--workspace", str(tmp_path), "--out", str(tmp_path / "a")])
    assert res.exit_code == 1 and "clio run" in res.output


def test_dashboard_refuses_public_bind_without_flag_and_announces_no_url(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("CLIO_DASHBOARD_USERS", raising=False)
    monkeypatch.delenv("CLIO_DASHBOARD_USERS_FILE", raising=False)
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "clusters.json").write_text('{"clusters": []}')
    res = runner.invoke(main, ["dashboard", "--workspace", str(tmp_path), "--host", "0.0.0.0"])
    assert res.exit_code == 2 and "--insecure" in res.output
    assert "http://" not in res.output


def test_dashboard_with_a_malformed_users_file_says_which_line_without_a_traceback(runner, tmp_path):
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "clusters.json").write_text('{"clusters": []}')
    users = tmp_path / "users.txt"
    users.write_text("alice:pw\nsecretpassword-without-name\n")
    res = runner.invoke(main, ["dashboard", "--workspace", str(tmp_path), "--users-file", str(users)])
    assert res.exit_code == 1 and "line 2" in res.output and str(users) in res.output
    assert "Traceback" not in res.output and "secretpassword" not in res.output and "http://" not in res.output


FAST = "embed: {model: hash}\ncluster: {reducer: pca}\nscrub: {n_process: 1}\nfacets: {quiz_form_model: false}\n"


def run_refused(runner, tmp_path, path, *extra):
    """`clio run PATH`: it must stop with exit 1 and release nothing; its output."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(FAST)
    ws = tmp_path / "ws"
    res = runner.invoke(main, ["run", str(path), "--workspace", str(ws), "--config", str(cfg), *extra])
    assert res.exit_code == 1, res.output
    assert "audit passed" not in res.output and "Traceback" not in res.output
    assert not (ws / "release" / "clusters.json").exists() and "Nothing was released" in res.output
    return res.output


def test_an_empty_input_stops_the_run_saying_nothing_was_read(runner, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = run_refused(runner, tmp_path, empty)
    assert "no records were read" in out and "empty.jsonl (0 read, 0 accepted)" in out


def test_a_mostly_garbage_input_stops_the_run_saying_what_was_read(runner, tmp_path, synth):
    corpus, _ = synth
    junk = tmp_path / "junk.jsonl"
    good = corpus.read_text().splitlines()[:2]
    junk.write_text("\n".join(good + [f"garbage {i} {{not json" for i in range(198)]) + "\n")
    out = run_refused(runner, tmp_path, junk)
    assert "only 2 of 200 records (1.0%) could be used" in out and "bad_json 198" in out
    assert "quarantine.jsonl" in out


def test_a_csv_without_a_text_column_stops_the_run_naming_the_columns(runner, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("id,body,author\n1,hello there,ann\n2,more,bob\n")
    out = " ".join(run_refused(runner, tmp_path, table).split())  # click wraps long lines
    assert "none of the 2 records read could be used" in out and "no_text_column" in out
    assert "columns found: id, body, author" in out and "looked for: messages" in out
