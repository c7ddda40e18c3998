"""The `sanctions` command: thin verbs over `storage`, the same calls Slack makes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from dotenv import load_dotenv

from bot.settings import SettingsError
from storage.articles import FORMATS, Article, Rejection
from storage.db.store import BadDatabaseUrl

log = logging.getLogger("sanctions")


def main(argv: list[str] | None = None) -> int:
    load_dotenv(Path.cwd() / ".env")  # the working directory's, as `serve` reads it
    parser = _parser()
    args = parser.parse_args(argv)
    level = args.log_level or os.environ.get("LOG_LEVEL") or "WARNING"
    logging.basicConfig(
        level=getattr(logging, level.strip().upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:  # `| head`: the reader has had enough; say nothing more to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except (SettingsError, BadDatabaseUrl) as error:  # the configuration is the user's to fix
        print(f"sanctions: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # our failure: an id the user can quote, the trace in the log
        from storage.db.store import StoreUnavailable

        error_id = uuid.uuid4().hex[:8]
        # The trace goes to the log at debug level; the user gets one line and the id.
        log.error("error %s: %s: %s", error_id, type(error).__name__, error)
        log.debug("error %s", error_id, exc_info=True)
        if isinstance(error, StoreUnavailable):
            print(f"sanctions: the store cannot be reached ({error}); error id {error_id}.", file=sys.stderr)
        else:
            print(f"sanctions: something went wrong on our side; error id {error_id}. "
                  "Run again with --log-level debug for details.", file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sanctions", description=__doc__)
    parser.add_argument("--log-level", default=None,
                        help="DEBUG, INFO, WARNING, ERROR (default: $LOG_LEVEL, else WARNING)")
    verbs = parser.add_subparsers(metavar="COMMAND")

    ingest = verbs.add_parser("ingest", help="validate and store annotated articles")
    ingest.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files, folders or .jsonl")
    ingest.add_argument("--samples", action="store_true", help="also ingest the bundled sample articles")
    ingest.add_argument("--format", choices=FORMATS, default=None,
                        help="read every file in this format (default: detected from each file's content)")
    ingest.set_defaults(handler=_ingest)

    export = verbs.add_parser("export", help="write the store's facts as FollowTheMoney, CSV or native articles")
    export.add_argument("--format", choices=("ftm", "csv", "jsonl"), default="jsonl",
                        help="ftm: FollowTheMoney JSON lines; csv: one row per action; "
                             "jsonl: native articles (default; ingesting them gives the same store)")
    export.add_argument("--output", type=Path, default=None, metavar="FILE", help="write here (default: stdout)")
    export.set_defaults(handler=_export)

    ask = verbs.add_parser("ask", help="answer a question as /sanctions would")
    ask.add_argument("query", nargs="+", help="NAME | by AUTHORITY [since DATE] | on DATE | since DATE | recent")
    ask.add_argument("--json", action="store_true", help="print the JSON answer object")
    ask.add_argument("--explain", action="store_true",
                     help="show why each name matched: its score and the name features that fired "
                          "(in the text, or under 'explanation' with --json)")
    ask.add_argument("--limit", type=_whole_number(1), default=20, help="actions per page for lists (default 20)")
    ask.add_argument("--offset", type=_whole_number(0), default=0, help="skip this many actions of a list")
    ask.set_defaults(handler=_ask)

    extract = verbs.add_parser("extract", help="draft annotations for raw articles, for a person to confirm")
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="plain text (dated by --published or a first dateline line), native JSON or JSONL")
    extract.add_argument("--published", default=None, metavar="DATE", help="publication date of the articles")
    extract.add_argument("--output", type=Path, default=None, metavar="DIR",
                         help="write NAME.json (NAME.jsonl for JSONL) here (default: stdout; JSON lines for several "
                         "articles)")
    extract.set_defaults(handler=_extract)

    announce = verbs.add_parser("announce", help="post new items and due digests in subscribed channels")
    announce.add_argument("--follow", action="store_true", help="keep running, posting as items are stored")
    announce.set_defaults(handler=_announce)

    digest = verbs.add_parser("digest", help="preview a channel's daily digest, or post it")
    digest.add_argument("--channel", default=None, metavar="C",
                        help="the Slack channel id (C0123…); without it, what any channel's digest would hold (UTC)")
    digest.add_argument("--team", default=None, metavar="T", help="the workspace id, when the channel is in several")
    digest.add_argument("--date", default=None, metavar="D", type=date.fromisoformat,
                        help="the local day (YYYY-MM-DD) to preview (default: today so far)")
    digest.add_argument("--post", action="store_true", help="post today's digest now (once a day, as scheduled)")
    digest.set_defaults(handler=_digest)

    lists = verbs.add_parser("lists", help="the official sanctions lists: import files, see what is loaded")
    list_verbs = lists.add_subparsers(metavar="ACTION")
    lists_import = list_verbs.add_parser("import", help="store list files as snapshots (each a whole list)")
    lists_import.add_argument("files", nargs="*", type=Path, metavar="FILE",
                              help="OFAC, EU, UK, UN or Canada list files, or OpenSanctions FtM JSON lines (gzip too)")
    lists_import.add_argument("--partial", action="store_true",
                              help="each file holds part of its list: list what it holds, delist nobody it lacks")
    lists_import.add_argument("--samples", action="store_true",
                              help="also import the bundled excerpts of each list (as --partial)")
    lists_import.add_argument("--as-of", type=_day, default=None, metavar="DATE",
                              help="the snapshot's date for a file that gives none (default: today)")
    lists_import.add_argument("--format", default=None, metavar="F",
                              help="read every file in this format (default: detected from each file's content)")
    lists_import.add_argument("--force", action="store_true",
                              help="store a list even when it has under half the entries of its previous snapshot")
    lists_import.set_defaults(handler=_lists_import)
    lists_status = list_verbs.add_parser("status", help="each list: its snapshot, entries, when and whence imported")
    lists_status.set_defaults(handler=_lists_status)

    serve = verbs.add_parser("serve", help="run the Slack app (HTTP on PORT, or Socket Mode)")
    serve.set_defaults(handler=_serve)

    db = verbs.add_parser("db", help="database maintenance")
    db_verbs = db.add_subparsers(metavar="ACTION")
    upgrade = db_verbs.add_parser("upgrade", help="apply pending migrations")
    upgrade.set_defaults(handler=_db_upgrade)
    return parser


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`, refused in one sentence otherwise.

    Clamping `--limit 0` to 1 would answer a question the user did not ask.
    """

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of {minimum} or more, not {text!r}")
        return number

    return parse


def _day(text: str) -> date:
    """An argparse type: a day as YYYY-MM-DD, refused in one sentence otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {text!r}") from None


def _ingest(args: argparse.Namespace) -> int:
    from storage.db.store import Store
    from storage.ingest.writer import ingest_paths
    from storage.samples import SAMPLES_DIR

    if not args.paths and not args.samples:
        print("sanctions ingest: give files or folders to ingest, or --samples.", file=sys.stderr)
        return 2
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:  # a mistyped path, not an article: nothing is ingested until it is right
        print(f"sanctions ingest: {path} does not exist; nothing was ingested.", file=sys.stderr)
    if missing:
        return 2
    store = Store.open()
    progress = _progress_bar()

    def on_article(item: Article | Rejection) -> None:
        if isinstance(item, Rejection):
            first, *more = item.lines()
            _write_above(progress, f"rejected: {first}")
            for line in more:
                _write_above(progress, f"     and: {line}")
        if progress is not None:
            progress.update(1)

    report = ingest_paths(store, args.paths, on_article, format=args.format)
    if args.samples:  # the bundled samples are native, whatever --format says
        report.absorb(ingest_paths(store, [SAMPLES_DIR], on_article))
    if progress is not None:
        progress.close()
    if report.read == 0:
        where = ", ".join(str(path) for path in args.paths)
        print(f"sanctions ingest: no articles found in {where}.", file=sys.stderr)
        return 1
    print(
        f"{report.read} article{'s' * (report.read != 1)} read: {report.new} new, "
        f"{report.unchanged} unchanged, {report.replaced} replaced, {report.rejected} rejected; "
        f"{report.actions_added} action{'s' * (report.actions_added != 1)} added."
    )
    if report.rejected:
        print(f"{report.rejected} article{'s were' if report.rejected != 1 else ' was'} rejected "
              "and nothing of {} stored; fix and ingest again.".format("them" if report.rejected != 1 else "it"),
              file=sys.stderr)
    return 1 if report.rejected else 0


def _export(args: argparse.Namespace) -> int:

    from storage.db.store import Store
    from storage.export import RECORD_NOUNS, export, export_file

    if args.output is not None and not args.output.parent.is_dir():
        print(f"sanctions export: there is no folder {args.output.parent}.", file=sys.stderr)
        return 2
    store = Store.open()
    if args.output is None:
        count = export(store, args.format, sys.stdout)
    else:
        count = export_file(store, args.format, args.output)
    where = f" to {args.output}" if args.output is not None else ""
    print(f"{count} {RECORD_NOUNS[args.format]} written{where}.", file=sys.stderr)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from storage.extract.files import LINE_SUFFIXES, extract_articles

    if args.output is not None:
        args.output.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in args.files:
        lines = path.suffix.lower() in LINE_SUFFIXES
        target = args.output / f"{path.stem}{'.jsonl' if lines else '.json'}" if args.output is not None else None
        if target is not None and target.resolve() == path.resolve():
            print(f"sanctions extract: {path}: would overwrite itself; choose another --output.", file=sys.stderr)
            failed += 1
            continue
        documents = []
        for drafted in extract_articles(path, args.published):
            if drafted.document is None:
                print(f"sanctions extract: {drafted.where}: {drafted.error}", file=sys.stderr)
                failed += 1
            elif target is not None:
                documents.append(drafted.document)
            elif len(args.files) == 1 and not lines:
                print(json.dumps(drafted.document, ensure_ascii=False, indent=1))
            else:
                print(json.dumps(drafted.document, ensure_ascii=False))
        if target is not None and documents:
            written = [json.dumps(d, ensure_ascii=False, indent=None if lines else 1) for d in documents]
            target.write_text("\n".join(written) + "\n", encoding="utf-8")
            events = sum(len(d["sanctions"]) for d in documents)
            print(f"{path}: {_count(events, 'drafted event')} in {_count(len(documents), 'article')} -> {target}",
                  file=sys.stderr)
    return 1 if failed else 0


def _count(number: int, noun: str) -> str:
    """"1 article", "2 articles": the summary lines are read by people."""
    return f"{number} {noun}{'s' * (number != 1)}"


def _progress_bar():  # type: ignore[no-untyped-def]
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", file=sys.stderr, leave=False)


def _write_above(progress, line: str) -> None:  # type: ignore[no-untyped-def]
    if progress is not None:
        progress.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)


def _ask(args: argparse.Namespace) -> int:
    from bot.render_text import render_text
    from storage.answers.queries import answer
    from storage.answers.questions import QuestionError, parse_question
    from storage.db.store import Store

    text = " ".join(args.query)
    try:
        question = parse_question(text, date.today())
    except QuestionError as error:
        print(f"sanctions ask: {error}", file=sys.stderr)
        return 2
    result = answer(Store.open(), question, limit=args.limit, offset=args.offset)
    if args.explain and result.kind != "name":
        print(f"sanctions ask: --explain shows how names matched; '{text}' asks for a list, which matches no "
              "names.", file=sys.stderr)
    shown = (json.dumps(result.to_json(explain=args.explain), ensure_ascii=False, indent=2) + "\n" if args.json
             else render_text(result, explain=args.explain))
    sys.stdout.write(shown)
    sys.stdout.flush()
    return 0


def _announce(args: argparse.Namespace) -> int:
    from bot.channel_verbs import announce
    from bot.settings import Settings

    return announce(Settings.from_env(), follow=args.follow)


def _digest(args: argparse.Namespace) -> int:
    from bot.channel_verbs import digest
    from bot.settings import Settings

    return digest(Settings.from_env(), args.channel, args.team, args.date, args.post)


def _lists_import(args: argparse.Namespace) -> int:
    from storage.answers.cache import answer_cache
    from storage.db.store import Store
    from storage.lists.reading import FORMATS
    from storage.lists.snapshots import import_paths

    if args.format is not None and args.format not in FORMATS:
        print(f"sanctions lists import: --format must be one of {', '.join(FORMATS)}, not {args.format!r}.",
              file=sys.stderr)
        return 2
    if not args.files and not args.samples:
        print("sanctions lists import: name at least one FILE, or --samples.", file=sys.stderr)
        return 2
    missing = [path for path in args.files if not path.is_file()]
    for path in missing:  # a mistyped path: nothing is imported until it is right
        print(f"sanctions lists import: {path} does not exist; nothing was imported.", file=sys.stderr)
    if missing:
        return 2
    store = Store.open()
    report = import_paths(store, args.files, as_of=args.as_of, format=args.format, force=args.force,
                          partial=args.partial)
    if args.samples:
        from storage.samples import LIST_SAMPLES

        samples = import_paths(store, LIST_SAMPLES, force=args.force, partial=True)
        report.outcomes.extend(samples.outcomes)
        report.refused_files.extend(samples.refused_files)
    if report.changed:
        answer_cache(store).forget()
    for outcome in report.outcomes:
        where = f"{outcome.list_id} ({outcome.source})"
        if outcome.status == "unchanged":
            print(f"{where}: unchanged, as of {outcome.as_of}.")
        elif outcome.status == "stored":
            entries = f"{outcome.entries} {'entry' if outcome.entries == 1 else 'entries'}"
            print(f"{where} as of {outcome.as_of}: {entries}; {outcome.added} added, {outcome.delisted} delisted, "
                  f"{outcome.relisted} listed again; {outcome.linked} of the new linked to someone already known.")
    for refusal in report.refused:
        print(f"sanctions lists import: {refusal}", file=sys.stderr)
    return 1 if report.refused else 0


def _lists_status(args: argparse.Namespace) -> int:
    from storage.db.store import Store
    from storage.lists.status import list_status

    statuses = list_status(Store.open())
    if not statuses:
        print("No official list is loaded; import one with `sanctions lists import FILE`.")
        return 0
    for status in statuses:
        jurisdiction = status.jurisdiction or "no jurisdiction"
        print(f"{status.list_name} ({status.list_id}, {jurisdiction}), as of {status.as_of}")
        for source in status.sources:
            imported = source.imported_at.strftime("%Y-%m-%d %H:%M UTC")
            print(f"  {source.source:<13} snapshot of {source.as_of}: {source.entries} in the file, "
                  f"{source.listed} listed, {source.delisted} delisted; imported {imported} from {source.origin} "
                  f"({source.format})")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from bot.server import serve
    from bot.settings import Settings

    serve(Settings.from_env())
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from storage.db.migrate import current_revision, upgrade
    from storage.db.store import Store

    store = Store.open(upgrade=False)
    before = current_revision(store.engine)
    upgrade(store.engine)
    after = current_revision(store.engine)
    print(f"schema at revision {after}" + (" (unchanged)" if before == after else f" (was {before})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
