"""`clio` command line: thin subcommands over clio.pipeline and friends. Heavy imports stay inside."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


def _say(msg: str) -> None:
    click.echo(msg, err=True)


def _quiet_libraries() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    for name in ("presidio-analyzer", "presidio-anonymizer", "sentence_transformers", "numba", "umap"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from clio.llm import quiet_sdk_logs

    quiet_sdk_logs()  # the LLM SDKs log request bodies and headers at debug level


def _terminate_cleanly() -> None:
    """SIGTERM (a scheduler stopping the job, `kill`) becomes SystemExit(143), so every `finally` runs: temp files
    of half-done writes are removed and the scrub workers are stopped, as on Ctrl-C."""
    import signal

    def on_term(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, on_term)


def _run_errors():
    """The failures a run reports as one clear line (exit 1), not a traceback."""
    from clio.ingest.sources import InputError
    from clio.llm import LLMSetupError, LLMUnreliable
    from clio.pipeline import InputRejected
    from clio.workspace import WorkspaceBusy
    from privacy.workers import WorkerError

    return (InputError, InputRejected, LLMSetupError, LLMUnreliable, WorkspaceBusy, WorkerError)


def _config(path: Path | None, **release):
    from clio.config import load_config

    try:
        cfg = load_config(path)
    except (ValueError, OSError) as e:
        raise click.UsageError(str(e)) from e
    release = {k: v for k, v in release.items() if v is not None}
    return cfg.replace(release=release) if release else cfg


def print_summary(s, workspace: Path) -> None:
    """What a run released (`s`: its `privacy.public.PublicSummary`), and whether the release passed its audit."""
    from privacy.public import PublicAudit, SchemaError, read_artifact

    pii = ", ".join(f"{k} {v}" for k, v in sorted(s.pii_removed_by_type.items(), key=lambda x: -x[1]))
    click.echo(f"conversations: read {s.read}, accepted {s.accepted}, quarantined {s.quarantined}")
    click.echo(f"PII removed: {pii or 'none found'}")
    click.echo(f"clusters: released {s.clusters_released}, suppressed {s.clusters_suppressed}; "
               f"unclustered {s.unclustered_share:.1%}")
    click.echo(f"quizzing {s.quizzing_share:.1%} / asking {s.asking_share:.1%}")
    if s.coverage:
        click.echo(f"coverage: {s.coverage.headline}")
    if s.accepted and s.clusters_released == 0:
        if s.policy["unknown_user_policy"].startswith("all conversations"):
            click.echo("note: nothing could be released. Conversations without a user id count as ONE shared user, "
                       "so no cluster reaches the distinct-user threshold. If each conversation comes from a "
                       "different person, re-run with --one-user-per-conversation.")
        else:
            click.echo("note: nothing could be released: no cluster reaches the release thresholds "
                       f"({s.policy['min_users']} users, {s.policy['min_conversations']} conversations).")
    try:
        passed = read_artifact(PublicAudit, workspace / "release" / PublicAudit.FILE).passed
    except (FileNotFoundError, SchemaError):
        passed = False
    click.echo(f"release written to {workspace / 'release'}; privacy audit {'passed' if passed else 'FAILED'} "
               f"(details: {workspace / 'release' / 'audit.md'})")
    if not passed:
        click.echo("error: the release failed its own audit; do not share it", err=True)
        sys.exit(3)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clio-usage")
def main():
    """Privacy-preserving usage analysis of LLM conversation logs.

    Logs are scrubbed with Presidio before anything else reads them; conversations are summarised,
    embedded and clustered Clio-style; only aggregates that pass the release gate reach
    WORKSPACE/release/, which is all the dashboard reads.

    \b
    Start here:   clio demo                      (synthetic sample, full pipeline)
    Your logs:    clio run logs.jsonl --workspace ws
    Look:         clio dashboard --workspace ws
    """


@main.command()
@click.option("--workspace", type=click.Path(path_type=Path), default=Path("demo-workspace"), show_default=True)
@click.option("--n", "n", type=click.IntRange(50, 500_000), default=1200, show_default=True,
              help="Synthetic conversations to generate.")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--serve", is_flag=True, help="Open the dashboard afterwards.")
def demo(workspace: Path, n: int, seed: int, serve: bool):
    """Generate the synthetic sample, run the whole pipeline, coverage and a medical suite."""
    from clio.commands.demo import run_demo

    _quiet_libraries()
    _terminate_cleanly()
    try:
        summary = run_demo(workspace, n, seed, say=_say)
    except _run_errors() as e:
        raise click.ClickException(str(e)) from e
    print_summary(summary, workspace)
    click.echo(f"\nopen the dashboard:  clio dashboard --workspace {workspace}")
    if serve:
        from dashboard.app import serve as serve_app

        serve_app(workspace)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=EXISTING)
@click.option("--workspace", required=True, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=EXISTING, help="YAML/JSON config (sections: scrub, facets, embed, "
              "cluster, release, naming).")
@click.option("--llm", type=click.Choice(["none", "anthropic", "openai"]), default="none", show_default=True,
              help="LLM for facets and cluster names; none = offline (extractive facets, c-TF-IDF names).")
@click.option("--one-user-per-conversation", is_flag=True,
              help="Count each conversation without a user id as a distinct user (only if that is true).")
@click.option("--min-users", type=click.IntRange(1), help="Release threshold: distinct users per cluster (default 10).")
@click.option("--min-conversations", type=click.IntRange(1), help="Release threshold: conversations per cluster "
              "(default 25).")
@click.option("--model", help="LLM model for --llm anthropic|openai (default: claude-haiku-4-5 / gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible server URL (vLLM, Ollama: http://localhost:11434/v1) or API proxy.")
@click.option("--max-cost", type=click.FloatRange(min=0), help="Stop before LLM spending would exceed this many USD.")
@click.option("--dp-epsilon", type=click.FloatRange(min=0, min_open=True),
              help="Add OpenDP noise to every per-cluster statistic (epsilon per query, 7 queries per cluster; "
                   "see release/audit.md).")
@click.option("--encoding", help="Text encoding of the input files (default utf-8, strict: records with invalid "
              "bytes are quarantined as bad_encoding, never altered). E.g. latin-1, cp1252, utf-16.")
@click.option("--min-accepted-share", type=click.FloatRange(0, 1),
              help="Stop (exit 1, nothing released) when fewer than this share of the records read could be used "
                   "(default 0.5). A run that accepts nothing always stops.")
@click.option("--max-record-mb", type=click.FloatRange(min=0, min_open=True),
              help="Records (lines, JSON items, CSV rows) larger than this are quarantined as too_large without being "
                   "parsed (default 32). Long messages below it are scrubbed in bounded pieces.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: ingest+scrub, facets and embedding on Ray actor pools (RAY_ADDRESS joins a cluster, else a "
                   "local Ray starts); clustering and the release stay here. Same release as local.")
@click.option("--ray-cpus", type=click.IntRange(1), help="CPUs of a local Ray (no RAY_ADDRESS); default 2.")
def run(inputs, workspace, config_path, llm, one_user_per_conversation, min_users, min_conversations, model, base_url,
        max_cost, dp_epsilon, encoding, min_accepted_share, max_record_mb, engine, ray_cpus):
    """Run the full pipeline on real logs (JSONL, JSON, CSV, Parquet; gzip, bz2, xz or zstd compressed).

    Resumable: unchanged stages are skipped, and a run that was killed leaves nothing half-written behind (its
    temporary files are removed by the next run). Every record read is either accepted or listed in
    WORKSPACE/private/quarantine.jsonl with file, line and reason. Releasing again into the same workspace holds
    every figure whose change would come from fewer than --min-users users (see README, Reliability).

    \b
    Exit codes: 0 released; 1 stopped with a message (unusable input, LLM setup, workspace busy, a scrub worker
    died, too many LLM fallbacks); 2 usage error; 3 the release failed its own audit; 143 terminated (SIGTERM)."""
    from clio.pipeline import run as run_pipeline

    _quiet_libraries()
    _terminate_cleanly()
    cfg = _config(config_path, one_user_per_conversation=one_user_per_conversation or None,
                  min_users=min_users, min_conversations=min_conversations, dp_epsilon=dp_epsilon)
    ingest = {k: v for k, v in {"encoding": encoding, "min_accepted_share": min_accepted_share,
                                "max_record_mb": max_record_mb}.items() if v is not None}
    if ingest:
        try:
            cfg = cfg.replace(ingest=ingest)
        except ValueError as e:
            raise click.UsageError(str(e)) from e
    llm_opts = {k: v for k, v in {"model": model, "base_url": base_url, "max_cost": max_cost}.items() if v is not None}
    if llm != "none" or llm_opts:
        cfg = cfg.replace(facets={"backend": llm if llm != "none" else cfg.facets.backend, **llm_opts})
    from clio.llm.cost import BudgetExceeded

    from clio.engines import make_engine

    try:
        runner = make_engine(engine, **({"num_cpus": ray_cpus} if engine == "ray" else {}))
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    try:
        summary = run_pipeline(inputs, workspace, cfg, say=_say, engine=runner)
    except BudgetExceeded as e:
        raise click.ClickException(f"{e}. Work done so far is cached; re-run with a higher --max-cost to go on.") from e
    except _run_errors() as e:
        raise click.ClickException(str(e)) from e
    finally:
        if runner is not None:
            runner.close()
    print_summary(summary, workspace)


@main.command()
@click.argument("input_path", metavar="INPUT", type=EXISTING)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", default="utf-8", show_default=True,
              help="Text encoding of INPUT; records with invalid bytes are quarantined, never altered.")
def scrub(input_path, out, encoding):
    """Write scrubbed conversations: same ids, same record shape, PII replaced by <TYPE_n> placeholders."""
    from clio.commands.scrub import scrub_file
    from clio.ingest.sources import IngestConfig

    _quiet_libraries()
    _terminate_cleanly()
    try:
        n, q = scrub_file(input_path, out, config=IngestConfig(encoding=encoding))
    except ValueError as e:  # unknown encoding, unreadable file type
        raise click.ClickException(str(e)) from e
    except _run_errors() as e:
        raise click.ClickException(str(e)) from e
    _say(f"scrubbed {n} records into {out}; {q} could not be parsed (listed in {out}.quarantine.jsonl)")


@main.command()
@click.argument("input_path", metavar="INPUT", type=EXISTING)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cues-only", is_flag=True,
              help="Cues alone, without the MiniLM form model (faster). By default the form model scores "
                   "English opening turns that no cue decides.")
def classify(input_path, out, cues_only):
    """Label each conversation quizzing (user knows the answer) or asking (user needs help).

    Writes one JSON line per conversation: id, label, score (P(quizzing)), quizzing_turn_share (share of user
    turns that read as quizzing) and cues (names of the forms that decided it, never text). Text is scrubbed
    before it is classified."""
    from clio.commands.classify import classify_file

    _quiet_libraries()
    embedder = None
    if not cues_only:
        from clio.embed.embedders import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder()
    n, quiz = classify_file(input_path, out, embedder=embedder)
    _say(f"classified {n} conversations into {out}: {quiz} quizzing, {n - quiz} asking")


@main.command("export-assignments")
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_assignments_cmd(workspace, out):
    """PRIVATE export: cluster id per level for every conversation (null = unclustered)."""
    from clio.pipeline import export_assignments

    try:
        n = export_assignments(workspace, out)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from e
    _say(f"warning: {out} is per-conversation (private tier); do not share it. {n} rows written.")


@main.command()
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--benchmark", "benchmarks", multiple=True, required=True, metavar="NAME=FILE",
              help="Benchmark items (JSONL/JSON/CSV/Parquet): MMLU, MedQA, GSM8K, HumanEval, TruthfulQA, IFEval, "
                   "HellaSwag, MT-bench, AlpacaEval, Arena-style chats, or any file with a prompt/question/"
                   "instruction/text field. Repeat for several.")
@click.option("--field", "text_field", help="Column holding the item text (default: detected; the error names the "
              "fields found when none fits).")
def coverage(workspace, benchmarks, text_field):
    """Compare released usage with benchmarks; writes release/coverage.json.

    \b
    Per benchmark: its share of items per released cluster and top-level group against usage's share, the
    Jensen-Shannon divergence, the share of usage it reaches, its quizzing share, and a realism figure, each with a
    95% bootstrap interval. "Reached" uses the same number of items for every benchmark and a similarity threshold
    calibrated on held-apart usage, so a bigger benchmark does not reach more by being bigger; realism is the
    reached share relative to what as many real conversations reach (1 = as close to usage as usage itself).
    Item vectors are cached by file content: a second call embeds nothing.

    \b
    Example:
      clio coverage --workspace ws --benchmark mmlu=mmlu_test.jsonl --benchmark gsm8k=gsm8k_test.jsonl
    """
    from clio.commands.coverage import run_coverage

    _quiet_libraries()
    named = {}
    for b in benchmarks:
        if "=" not in b:
            raise click.UsageError(f"--benchmark expects NAME=FILE, got {b!r}")
        name, path = b.split("=", 1)
        if not Path(path).is_file():
            raise click.UsageError(f"benchmark file not found: {path}")
        if name in named:
            raise click.UsageError(f"benchmark name {name!r} given twice")
        named[name] = Path(path)
    try:
        doc = run_coverage(workspace, named, text_field=text_field)
    except (FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(doc.headline)
    click.echo(f"  reached: {doc.reach['budget']} items per benchmark within cosine {doc.reach['threshold']:.2f} "
               f"(held-apart usage reaches {doc.reach['usage_self_reach']:.0%} of usage at this setting)")

    def ci(v):
        return f"[{v[0]:.2f}, {v[1]:.2f}]" if v else ""

    for b in doc.benchmarks:
        click.echo(f"  {b.name}: {b.items} items; JS divergence {b.js_divergence:.3f} {ci(b.js_divergence_ci)}; "
                   f"usage reached {b.usage_share_reached:.1%} {ci(b.usage_share_reached_ci)}; realism "
                   f"{b.realism:.2f} {ci(b.realism_ci)}; quizzing {b.quizzing_share:.0%}")


@main.command()
@click.argument("domain")
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "inspect", "lm-eval", "helm"]), default="jsonl",
              show_default=True, help="jsonl: items as they are; inspect: dataset + tasks.py; lm-eval: data + task "
              "YAMLs + utils.py; helm: MedHELM configurable benchmark (CSV, prompt, YAML, judge prompt).")
@click.option("--n", "n_items", type=click.IntRange(1), default=200, show_default=True,
              help="Items wanted; the suite is shorter (and says so) when the sources run out.")
@click.option("--pool", "pools", multiple=True, type=EXISTING, metavar="FILE",
              help="Public items to draw from (chat logs, benchmark files with answers; any format `clio coverage` "
                   "reads). The items nearest each cluster are used once each. Repeat for several.")
@click.option("--pool-field", help="Column holding the text in the pool files (default: detected).")
@click.option("--llm", type=click.Choice(["none", "anthropic", "openai"]), default="none", show_default=True,
              help="Let an LLM write what the release and pools cannot supply, from released text only.")
@click.option("--model", help="LLM model (default: claude-haiku-4-5 / gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible server URL (vLLM, Ollama) or API proxy.")
@click.option("--max-cost", type=click.FloatRange(min=0), help="Stop before LLM spending would exceed this many USD.")
@click.option("--no-exemplars", is_flag=True, help="Do not use released exemplars as items.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--judge", "judges", multiple=True, metavar="DEPLOYMENT",
              help="HELM: a jury model deployment (e.g. openai/gpt-4o-2024-05-13); repeat for several.")
def suite(domain, workspace, out, fmt, n_items, pools, pool_field, llm, model, base_url, max_cost, no_exemplars,
          seed, judges):
    """Generate a usage-weighted eval suite for DOMAIN from released clusters.

    \b
    DOMAIN is medical, software, education, business, or a taxonomy .yaml file. A released cluster joins the
    suite only if the domain gate admits it (its domain facet share and its similarity to a task of the
    taxonomy); the manifest lists the clusters left out and why. Each admitted cluster gets items in proportion
    to its usage and in its quizzing/asking mix, from (1) its released exemplars, verbatim, (2) the --pool items
    nearest it, each used once, with the pool's answer where it has one, (3) with --llm, prompts a model writes
    from the cluster's released text (kept only if they pass the PII re-scan, are not near-duplicates and embed
    nearest their own cluster). An input is never repeated: when sources run out the suite is shorter and says so.
    Every item has grading material: a choice key, a short answer, a reference answer, or a rubric.

    \b
    Examples:
      clio suite medical --workspace ws --out suite-med --format inspect --pool medqa.jsonl
      clio suite software --workspace ws --out suite-sw --format lm-eval --llm anthropic --max-cost 2
    """
    from clio.commands.suite import make_suite

    _quiet_libraries()
    llm_config = None
    if llm != "none":
        from clio.llm import LLMConfig

        llm_config = LLMConfig(backend=llm, model=model or "", base_url=base_url)
    elif model or base_url or max_cost is not None:
        raise click.UsageError("--model, --base-url and --max-cost need --llm anthropic or --llm openai")
    from clio.llm import LLMSetupError
    from clio.llm.cost import BudgetExceeded

    try:
        res = make_suite(domain, workspace, out, fmt, n_items, seed=seed, pools=pools, pool_field=pool_field,
                         llm=llm_config, max_cost=max_cost, exemplars=not no_exemplars,
                         judges=[{"name": j, "model_name": j} for j in judges], say=_say)
    except BudgetExceeded as e:
        raise click.ClickException(f"{e}. Answers so far are cached; re-run with a higher --max-cost.") from e
    except (FileNotFoundError, ValueError, KeyError, LLMSetupError) as e:
        raise click.ClickException(str(e)) from e
    b, rep = res.build, res.report
    _say(f"domain gate: {len(b.gate.admitted)} clusters admitted, {len(b.gate.left_out)} left out "
         f"(facet {'/'.join(b.gate.thresholds['facet_domains'])} share >= {b.gate.thresholds['min_domain_share']}, "
         f"similarity >= {b.gate.thresholds['min_similarity']})")
    for lo in b.gate.left_out[:5]:
        _say(f"  left out {lo.id} {lo.name!r} ({lo.share:.1%} of usage): {lo.reason}")
    if len(b.gate.left_out) > 5:
        _say(f"  ... and {len(b.gate.left_out) - 5} more (all listed in manifest.json)")
    from collections import Counter

    by_source = Counter(it.source for it in b.items)
    by_grading = Counter(it.grading for it in b.items)
    _say(f"{len(b.items)} of {b.requested} items: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items()))
         + "; graded by " + ", ".join(f"{k} {v}" for k, v in sorted(by_grading.items())))
    for src, reasons in b.dropped.items():
        _say(f"  {src} candidates dropped: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    for note in rep["notes"]:
        _say(f"note: {note}")
    _say("written: " + ", ".join(str(p) for p in res.paths))


@main.command()
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--canaries", type=EXISTING, help="Strings (one a line) that must appear in no release file.")
def audit(workspace, canaries):
    """Re-check the release; exit 1 if any check fails."""
    from clio.commands.audit import run_audit

    _quiet_libraries()
    try:
        rep = run_audit(workspace, canaries)
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from e
    for c in rep.checks:
        click.echo(f"{'PASS' if c.passed else 'FAIL'} {c.name}: {c.detail}")
    click.echo("audit passed" if rep.passed else "audit FAILED")
    sys.exit(0 if rep.passed else 1)


@main.command()
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8050, show_default=True)
@click.option("--users-file", type=EXISTING, help="Basic-auth users, one `name:password` a line (or set "
              "CLIO_DASHBOARD_USERS=\"alice:pw,bob:pw2\"). Covers every route, callbacks and assets included.")
@click.option("--insecure", is_flag=True, help="Allow a non-loopback host without authentication.")
def dashboard(workspace, host, port, users_file, insecure):
    """Serve the dashboard over WORKSPACE/release/ (loopback only by default).

    Runs waitress, a production WSGI server, with security headers on every response (a Content-Security-Policy,
    frame-ancestors 'none', nosniff, no Server banner). With users, every route needs basic auth and a client
    address is refused (HTTP 429) for a minute after 5 wrong passwords."""
    from dashboard.app import serve
    from dashboard.auth import InsecureBindError

    if not (workspace / "release" / "clusters.json").exists():
        raise click.ClickException(f"{workspace}/release has no clusters.json; run `clio run` or `clio demo` first")
    from privacy.public import SchemaError

    try:
        serve(workspace, host=host, port=port, users_file=users_file, insecure=insecure, say=click.echo)
    except SchemaError as e:
        raise click.ClickException(str(e)) from e
    except OSError as e:  # the port is taken, or the address is not this machine's
        raise click.ClickException(f"cannot serve on {host}:{port}: {e.strerror or e}") from e
    except InsecureBindError as e:
        raise click.UsageError(f"refusing to bind {host} without authentication: give --users-file (or set "
                               "CLIO_DASHBOARD_USERS), or --insecure if this network is trusted") from e
    except ValueError as e:  # a malformed users file: named, with its line, never its content
        raise click.ClickException(str(e)) from e


@main.command()
@click.option("--n", "n", type=click.IntRange(1), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--long", "long_chats", is_flag=True,
              help="real-log length: 3-6 exchanges, long assistant turns with code blocks (for speed tests)")
def synth(n, out, seed, long_chats):
    """Write a labelled synthetic corpus (planted fake PII) and FILE.labels.jsonl with the ground truth."""
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus, labels, count = write_corpus(out, SynthConfig(n=n, seed=seed, long_chats=long_chats))
    _say(f"{count} conversations in {corpus}; ground truth in {labels}")


if __name__ == "__main__":
    main()
