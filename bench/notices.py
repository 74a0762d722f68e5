"""Benchmark notice rendering: warm median per kind, PDF size, WeasyPrint defaults, throughput."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path, where a module named like one of
# the standard library's would shadow it; the repository root goes there instead.
sys.path[0] = str(ROOT)

import weasyprint  # noqa: E402
from weasyprint.text.ffi import harfbuzz_subset  # noqa: E402

from approvals.notices import render  # noqa: E402
from approvals.notices.facts import KIND_TITLES, NoticeFacts  # noqa: E402

COMMENT = "经核查，该项目设备投资额符合政策规定，同意按设备投资额的10%给予补助。"


def make_facts(kind: str, n: int = 0, **overrides) -> NoticeFacts:
    """Typical facts; n varies the number and codes so no two notices are alike."""
    code = f"{n:04d}-M2XD-9PWA"
    values = {
        "kind": kind,
        "number": f"经贸兑〔2026〕{n + 1}号",
        "issuer_code": "JMJ",
        "issuer_name": "市经贸局",
        "issued_at": datetime(2026, 3, 15, 2, 30, tzinfo=UTC),
        "enterprise_name": "苏州恒达精密机械有限公司",
        "credit_code": "91320500MA1XYZ1234",
        "claim_number": f"SB-2026-{n:06d}",
        "policy_code": "JMJ-03",
        "policy_title": "关于支持企业技术改造的若干政策",
        "funding_type": "无偿资助",
        "project_title": "年产5万台智能数控机床技术改造项目",
        "requested_amount": Decimal("120000.00"),
        "approved_amount": Decimal("100005.50") + n,
        "comment": COMMENT,
        "payment_reference": f"CZ2026-0315-{n:04d}",
        "verification_code": code,
        "verify_url": f"https://zcdx.example.gov.cn/verify/{code}",
    }
    values.update(overrides)
    return NoticeFacts(**values)


def timed(function, facts: list[NoticeFacts]) -> tuple[list[float], list[float], bytes]:
    """Wall and CPU milliseconds per call: CPU time shows the cost when the machine is busy."""
    wall, cpu = [], []
    pdf = b""
    for item in facts:
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = function(item)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, pdf


def default_render(facts: NoticeFacts) -> bytes:
    """The same page as WeasyPrint renders it out of the box: system fonts, nothing reused."""
    css = render.STYLESHEET.read_text("utf-8")
    css = re.sub(r"@font-face\s*\{[^}]*\}", "", css)
    css = css.replace('"Notice Serif", "WenQuanYi Micro Hei", ', "")
    html = render.render_html(facts).replace("</head>", f"<style>{css}</style></head>")
    return weasyprint.HTML(string=html).write_pdf()


def render_size(facts: NoticeFacts) -> int:
    return len(render.render_notice(facts))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def throughput(count: int, processes: int) -> tuple[float, float, int]:
    """Wall seconds, the workers' CPU seconds, and total bytes for `count` notices."""
    kinds = sorted(KIND_TITLES)
    facts = [make_facts(kinds[n % len(kinds)], n) for n in range(count)]
    start, start_cpu = time.perf_counter(), children_cpu()
    # fork start method: workers start fast; render.py gives each its own fonts.
    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes, initializer=render.warm_up)
    total = sum(pool.imap_unordered(render_size, facts, chunksize=8))
    pool.close()
    pool.join()  # reaped workers' CPU time shows in RUSAGE_CHILDREN
    return time.perf_counter() - start, children_cpu() - start_cpu, total


def row(label: str, times: list[float], cpu: list[float], size: int, default: tuple | None) -> str:
    median = statistics.median(times)
    p90 = sorted(times)[int(len(times) * 0.9) - 1]
    text = f"{label:<30} {median:7.1f} {p90:7.1f} {statistics.median(cpu):7.1f} {size / 1024:6.1f}"
    if default:
        text += f" {statistics.median(default[0]):9.1f} {default[1] / 1024:8.1f}"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="warm renders per kind")
    parser.add_argument("--default-repeat", type=int, default=5, help="renders per kind, defaults")
    parser.add_argument("--count", type=int, default=1000, help="notices in the throughput run")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    subsetter = "HarfBuzz" if harfbuzz_subset else "fontTools (slow: install libharfbuzz-subset0)"
    print(
        f"WeasyPrint {weasyprint.__version__}, font subsetting: {subsetter},"
        f" CPUs: {os.cpu_count()}, Python {sys.version.split()[0]}"
    )
    start = time.perf_counter()
    render.warm_up()
    print(f"cold start (fonts, stylesheet): {(time.perf_counter() - start) * 1000:.0f} ms\n")

    print("milliseconds per warm render (wall median, wall p90, CPU median) and PDF size")
    print(f"{'':<30} {'ours':>30} {'WeasyPrint defaults':>20}")
    header = f"{'notice':<30} {'median':>7} {'p90':>7} {'cpu':>7} {'KB':>6} {'median':>9} {'KB':>8}"
    print(header + "\n" + "-" * len(header))
    cases = [(kind, kind, {}) for kind in sorted(KIND_TITLES)]
    cases += [
        ("payout, rare name (王堃)", "payout", {"enterprise_name": "王堃精密机械有限公司"}),
        ("supplement, 250-char opinion", "supplement", {"comment": "\n".join([COMMENT] * 7)}),
    ]
    medians = []
    for label, kind, overrides in cases:
        facts = [make_facts(kind, n, **overrides) for n in range(args.repeat + 3)]
        times, cpu, pdf = timed(render.render_notice, facts)
        times, cpu = times[3:], cpu[3:]  # the first renders of a kind warm Pango's caches
        default = None
        if args.default_repeat:
            default_times, _, default_pdf = timed(default_render, facts[: args.default_repeat])
            default = (default_times, len(default_pdf))
        medians.append(statistics.median(times))
        print(row(label, times, cpu, len(pdf), default))
    print(
        f"\nmedian of the kinds' medians: {statistics.median(medians[: len(KIND_TITLES)]):.1f} ms"
    )

    if args.count:
        seconds, cpu, total = throughput(args.count, args.processes)
        print(
            f"\n{args.count} notices on {args.processes} processes: {seconds:.1f} s"
            f" ({seconds / args.count * 1000:.1f} ms each, {args.count / seconds:.0f}/s,"
            f" {total / args.count / 1024:.1f} KB average), worker start-up included"
        )
        # On a shared machine the wall time says as much about the neighbours as about
        # us; the workers' CPU time divided by the processes is the idle-machine figure.
        print(
            f"workers' CPU time: {cpu:.1f} s, i.e. {cpu / args.processes:.1f} s on"
            f" {args.processes} otherwise idle cores; load average now"
            f" {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
