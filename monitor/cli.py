"""`monitor` command line. stdout carries only each command's output; logs go to stderr."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from monitor.config.errors import ConfigInvalid
from monitor.logs import setup_logging
from monitor.settings import Settings, SettingsError, load_settings


def _database_error(exc: Exception) -> None:
    """A database that cannot be reached is an operator problem, not a bug: one clear line."""
    import sqlalchemy as sa

    from monitor.store.db import StoreUnavailable

    if isinstance(exc, StoreUnavailable | sa.exc.OperationalError | sa.exc.InterfaceError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        click.echo(f"error: database unavailable: {detail}", err=True)
        sys.exit(2)
    raise exc


def _settings() -> Settings:
    try:
        s = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    setup_logging(s.log_format, s.log_level)
    return s


def _fail_config(exc: ConfigInvalid, to_stdout: bool = False) -> None:
    """Every error, one per line (file:line: key.path: message). `config validate` prints them
    as its output; other commands report them on stderr next to their logs."""
    for err in exc.errors:
        click.echo(str(err), err=not to_stdout)
    click.echo(f"config invalid: {len(exc.errors)} error(s)", err=not to_stdout)
    sys.exit(1)


def _load_matcher(config_dir: Path) -> Any:
    from monitor.configstate import compile_config

    try:
        return compile_config(config_dir)
    except ConfigInvalid as exc:
        _fail_config(exc)
        raise AssertionError("unreachable") from None


def _serve(*, web_on: bool, worker_on: bool) -> None:
    from monitor.service import serve

    settings = _settings()
    try:
        asyncio.run(serve(settings, web_on=web_on, worker_on=worker_on))
    except ConfigInvalid as exc:
        _fail_config(exc)
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # noqa: BLE001
        _database_error(exc)


class _Main(click.Group):
    """Every command that opens the database reports an unreachable one as one line, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:  # noqa: BLE001 - _database_error re-raises anything else unchanged
            _database_error(exc)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Watch news feeds for follow-ups to a story; alert webhooks and Slack."""


@main.command()
def run() -> None:
    """Web API and worker in one process."""
    _serve(web_on=True, worker_on=True)


@main.command()
def web() -> None:
    """The HTTP API only (GET /healthz, /readyz, /feeds, ...) on $PORT."""
    _serve(web_on=True, worker_on=False)


@main.command()
def worker() -> None:
    """Scheduler, polling, matching and delivery."""
    _serve(web_on=False, worker_on=True)


@main.command()
@click.option("--once", is_flag=True, required=True, help="Run one full cycle and exit.")
def poll(once: bool) -> None:
    """One cycle: fetch every enabled feed, match, create and deliver alerts."""
    from monitor.service import poll_once

    settings = _settings()
    try:
        summary = asyncio.run(poll_once(settings))
    except ConfigInvalid as exc:
        _fail_config(exc)
        return
    except Exception as exc:  # noqa: BLE001 - database errors get one line, bugs keep their traceback
        _database_error(exc)
        return
    from monitor.logs import get_logger, log_event

    log_event(get_logger("monitor.poll"), "poll.done", **summary)


@main.group()
def config() -> None:
    """Watch config tools."""


@config.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def config_validate(directory: Path | None) -> None:
    """Check DIR (default $MONITOR_CONFIG or config/): exit 0, or every error with file:line."""
    from alerts.delivery import DEFAULT_POLICY
    from monitor.config.durations import format_duration
    from monitor.config.load import summarize
    from monitor.configstate import compile_config
    from monitor.delivering import policy_for

    directory = directory or _settings().config_dir
    try:
        active = compile_config(directory)
    except ConfigInvalid as exc:
        _fail_config(exc, to_stdout=True)
        return
    cfg = active.config
    click.echo(f"config OK: {directory}: {summarize(cfg)}")
    for warning in active.warnings:
        click.echo(f"  warning: {warning}")
    for d in cfg.destinations:
        policy = policy_for(d) if d.retry else DEFAULT_POLICY
        click.echo(f"  destination {d.id} ({d.type}): {len(policy.schedule_s) + 1} attempts over "
                   f"{format_duration(policy.horizon_s)} before dead-letter")


@config.command("dump")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def config_dump(directory: Path | None) -> None:
    """Print the effective config as JSON, secrets masked."""
    from monitor.config.load import load_config
    from monitor.views import masked_config

    try:
        loaded = load_config(directory or _settings().config_dir)
    except ConfigInvalid as exc:
        _fail_config(exc)
        return
    click.echo(json.dumps(masked_config(loaded.config), indent=2, ensure_ascii=False))


def _open_input(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8")  # noqa: SIM115


@main.command()
@click.argument("file", required=False, default="-")
@click.option("--config", "config_dir", type=click.Path(path_type=Path), help="Config folder to use.")
def match(file: str, config_dir: Path | None) -> None:
    """Match JSON lines {"id","title","summary",...} from FILE (or -) and print one result line each."""
    active = _load_matcher(config_dir or _settings().config_dir)
    out = sys.stdout
    with _open_input(file) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                click.echo(f"line {n}: skipped: {exc}", err=True)
                out.write(json.dumps({"id": None, "topics": [], "matches": [], "error": f"line {n}: {exc}"}) + "\n")
                continue
            from monitor.views import match_view

            matches = match_view(active.matcher, str(obj.get("title") or ""), str(obj.get("summary") or ""),
                                 obj.get("lang"), obj.get("url"))
            out.write(json.dumps({"id": obj.get("id"), "topics": [m["topic"] for m in matches],
                                  "matches": matches}, ensure_ascii=False) + "\n")
    out.flush()


@main.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--config", "config_dir", type=click.Path(path_type=Path), help="Config folder to use.")
def eval_(file: str, config_dir: Path | None) -> None:
    """Per-topic precision, recall and F1 on labeled JSON lines; then every miss and false alarm."""
    from monitor.matching import evaluate, format_report

    active = _load_matcher(config_dir or _settings().config_dir)
    with open(file, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    click.echo(format_report(evaluate(active.matcher, rows)))


@main.group()
def topics() -> None:
    """Topic tools."""


@topics.command("test")
@click.argument("text")
@click.option("--summary", default="", help="Optional summary text.")
@click.option("--config", "config_dir", type=click.Path(path_type=Path), help="Config folder to use.")
@click.option("--verbose", "-v", is_flag=True, help="Show each near-miss topic's rule tree.")
def topics_test(text: str, summary: str, config_dir: Path | None, verbose: bool) -> None:
    """Which topics match TEXT, and why (and which nearly did)."""
    from monitor.matching import explain

    active = _load_matcher(config_dir or _settings().config_dir)
    click.echo(explain(active.matcher, text, summary, verbose=verbose))


@main.group()
def db() -> None:
    """Database tools."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations (also run by `make run` and the Procfile's release step)."""
    from monitor.store.db import current_revision, upgrade

    s = _settings()
    try:
        upgrade(s.database_url)
        click.echo(f"database at revision {current_revision(s.database_url)}", err=True)
    except Exception as exc:  # noqa: BLE001
        _database_error(exc)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array of feed states.")
def feeds(as_json: bool) -> None:
    """Each feed's state: health, last status and error, consecutive errors, next poll."""
    from monitor.service import prepare_database
    from monitor.views import feed_states

    rows = feed_states(prepare_database(_settings()))
    if as_json:
        keys = ("id", "url", "health", "last_status", "last_error", "consecutive_errors", "next_poll")
        click.echo(json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False))
        return
    click.echo(f"{'ID':<24} {'HEALTH':<9} {'STATUS':<6} {'ERRS':>4}  {'NEXT POLL':<20}  URL / LAST ERROR")
    for r in rows:
        click.echo(f"{r['id'][:24]:<24} {r['health']:<9} {str(r['last_status'] or '-'):<6} "
                   f"{r['consecutive_errors']:>4}  {(r['next_poll'] or '-')[:19]:<20}  {r['url']}")
        if r["last_error"]:
            click.echo(f"{'':<24} {'':<9} {'':<6} {'':>4}  {'':<20}  ! {r['last_error']}")


@main.group()
def alerts() -> None:
    """Outbox tools: dead letters and replay."""


@alerts.command("dead")
@click.option("--destination", help="Only this destination.")
@click.option("--json", "as_json", is_flag=True)
def alerts_dead(destination: str | None, as_json: bool) -> None:
    """List dead-lettered alerts."""
    from monitor.service import prepare_database
    from monitor.views import dead_letter_view

    rows = dead_letter_view(prepare_database(_settings()), destination)
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        click.echo(f"{r['alert_id']}  {r['destination']:<16} {r['topic']:<22} attempts={r['attempts']} "
                   f"last={r['last_status'] or '-'} {r['last_error'] or ''}")
    click.echo(f"{len(rows)} dead letter(s)", err=True)


@alerts.command("replay")
@click.option("--destination", help="Only this destination's dead letters.")
@click.option("--id", "alert_ids", multiple=True, help="Only these alert ids (repeatable).")
def alerts_replay(destination: str | None, alert_ids: tuple[str, ...]) -> None:
    """Re-queue dead letters (same ids, so receivers can dedupe); the worker sends them."""
    from monitor.service import prepare_database
    from monitor.store import alerts as alert_store
    from monitor.store.tables import utcnow

    db = prepare_database(_settings())
    n = db.run(lambda s: alert_store.replay_dead(s, utcnow(), destination, list(alert_ids) or None))
    click.echo(f"re-queued {n} dead letter(s)")


if __name__ == "__main__":
    main()
